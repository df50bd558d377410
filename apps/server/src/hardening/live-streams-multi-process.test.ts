/**
 * A revoked session's live streams end across processes (issue 16, item 5): two server processes (the real entry
 * point) share one database and one Redis, as two replicas behind a load balancer; the stream is open on one, the
 * session is ended through the other. Redis is always used (REDIS_URL or 127.0.0.1:6379).
 */
import { randomUUID } from "node:crypto";
import { createDatabase } from "@tessera/db";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveTrpcClient } from "../testing/clients.ts";
import { call, expectSuccess, login, within } from "../testing/http.ts";
import { processEnvironment, type ProcessEnvironment, type ServerProcess } from "../testing/process.ts";
import { account, type Account } from "../testing/accounts.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

let processes: ProcessEnvironment;
let one: ServerProcess;
let two: ServerProcess;
let adminToken: string;

beforeAll(async () => {
  processes = await processEnvironment({ REDIS_URL, REDIS_KEY_PREFIX: `tessera-test:${randomUUID()}:` });
  one = await processes.start();
  two = await processes.start();
  // An admin: a user made one straight in the shared database (not what is under test), then signed in.
  const admin = await account(one.url);
  const db = await createDatabase({ url: processes.env.DATABASE_URL!, migrate: false });
  try {
    await db.kysely.updateTable("users").set({ role: "admin" }).where("id", "=", admin.data.user_id).execute();
  } finally {
    await db.close();
  }
  adminToken = (await login(one.url, admin.input.username, admin.input.password)).access_token;
}, 120_000);

afterAll(async () => {
  expect(await Promise.all([one?.stop(), two?.stop()])).toEqual([0, 0]);
  await processes?.dispose();
}, 60_000);

/** A stream on process two; `error` resolves with how it ended, `data` with its first event. */
function watchOnTwo(token: string, procedure: "tasks" | "orders") {
  let started!: () => void;
  let failed!: (error: TRPCClientError<never>) => void;
  let received!: (event: unknown) => void;
  const opened = new Promise<void>((resolve) => (started = resolve));
  const error = new Promise<TRPCClientError<never>>((resolve) => (failed = resolve));
  const data = new Promise<unknown>((resolve) => (received = resolve));
  const client = liveTrpcClient(two.url, token);
  const handlers = { onStarted: () => started(), onError: (e: unknown) => failed(e as TRPCClientError<never>), onData: (e: unknown) => received(e) };
  const subscription = procedure === "tasks" ? client.tasks.onChange.subscribe(undefined, handlers) : client.orders.onChange.subscribe(undefined, handlers);
  return { opened, error, data, stop: () => subscription.unsubscribe() };
}

type User = Account;
const onOne = (method: string, route: string, token: string | undefined, json?: unknown) => call(one.url, method, route, { token, json });

describe("two processes sharing the database and Redis", () => {
  it.each<[string, (user: User) => Promise<void>]>([
    ["logout", async (user) => expectSuccess(await onOne("POST", "/api/logout", user.tokens.access_token))],
    ["refresh-token reuse", async (user) => {
      expectSuccess(await onOne("POST", "/api/token/refresh", undefined, { refresh_token: user.tokens.refresh_token }));
      await onOne("POST", "/api/token/refresh", undefined, { refresh_token: user.tokens.refresh_token });
    }],
    ["deactivation", async (user) => expectSuccess(await onOne("PATCH", `/api/admin/users/${user.data.user_id}`, adminToken, { is_active: false }))],
    ["a role change", async (user) => expectSuccess(await onOne("PATCH", `/api/admin/users/${user.data.user_id}`, adminToken, { role: "seller" }))],
    ["deletion", async (user) => expectSuccess(await onOne("DELETE", `/api/admin/users/${user.data.user_id}`, adminToken))],
  ])("%s through one ends the session's streams on the other", async (what, revoke) => {
    const user = await account(one.url);
    const bystander = await account(one.url);
    const streams = [watchOnTwo(user.tokens.access_token, "tasks"), watchOnTwo(user.tokens.access_token, "orders"), watchOnTwo(bystander.tokens.access_token, "tasks")];
    try {
      await within(Promise.all(streams.map((s) => s.opened)), "streams open on two");
      const started = performance.now();
      await revoke(user);
      const errors = await within(Promise.all([streams[0]!.error, streams[1]!.error]), "the streams on two ended");
      console.log(`[streams] ${what} through one: the streams on two ended ${(performance.now() - started).toFixed(0)} ms after the request was sent`);
      for (const error of errors) expect(error.data).toMatchObject({ appCode: "INVALID_TOKEN" });
      // The bystander's stream on two still stands: a task it writes through one reaches it.
      const created = await onOne("POST", "/api/tasks", bystander.tokens.access_token, { title: "still here" });
      expectSuccess(created, 201);
      expect(await within(streams[2]!.data, "the bystander's event")).toEqual({ type: "created", task: created.body.data });
    } finally {
      for (const s of streams) s.stop();
    }
  });
});
