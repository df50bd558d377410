/**
 * Live streams over real HTTP (tRPC's SSE), in one server process (issue 16, items 5 and 6): a revoked session's
 * streams end at once, streams per user are capped, and a stream whose client stopped reading cannot make the
 * server hold its events without bound. Across processes: live-streams-multi-process.test.ts.
 */
import { connect, type Socket } from "node:net";
import { createSuperuser } from "@tessera/api";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { liveTrpcClient } from "../testing/clients.ts";
import { call, expectSuccess, login, within } from "../testing/http.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { account, type Account } from "../testing/accounts.ts";

const QUEUE = 100;
let server: TestServer;
let adminToken: string;
beforeAll(async () => {
  server = await startTestServer({ LIVE_STREAMS_PER_USER: "3", LIVE_STREAM_QUEUE: String(QUEUE) });
  const username = "stream_admin";
  await createSuperuser(server.services.db, server.services.passwords, { username, email: `${username}@example.com`, password: "Str0ng!Passw0rd" });
  adminToken = (await login(server.url, username, "Str0ng!Passw0rd")).access_token;
});
afterAll(() => server.stop());

/** tasks.onChange (or orders.onChange) through the typed client as a browser would open it; `error` resolves with how it ended. */
function watch(token: string, procedure: "tasks" | "orders" = "tasks") {
  let started!: () => void;
  let failed!: (error: TRPCClientError<never>) => void;
  const opened = new Promise<void>((resolve) => (started = resolve));
  const error = new Promise<TRPCClientError<never>>((resolve) => (failed = resolve));
  const client = liveTrpcClient(server.url, token);
  const handlers = { onStarted: () => started(), onError: (e: unknown) => failed(e as TRPCClientError<never>) };
  const subscription = procedure === "tasks" ? client.tasks.onChange.subscribe(undefined, handlers) : client.orders.onChange.subscribe(undefined, handlers);
  return { opened, error, stop: () => subscription.unsubscribe() };
}

const openStreams = () => server.services.liveStreams.open();
const rest = (method: string, path: string, token: string, json?: unknown) => call(server.url, method, path, { token, json });

describe("a revoked session's streams end at once (one process)", () => {
  it.each([
    ["logout", async (user: Account) => expectSuccess(await rest("POST", "/api/logout", user.tokens.access_token))],
    ["refresh-token reuse", async (user: Account) => {
      expectSuccess(await call(server.url, "POST", "/api/token/refresh", { json: { refresh_token: user.tokens.refresh_token } }));
      await call(server.url, "POST", "/api/token/refresh", { json: { refresh_token: user.tokens.refresh_token } });
    }],
    ["deactivation", async (user: Account) =>
      expectSuccess(await rest("PATCH", `/api/admin/users/${user.data.user_id}`, adminToken, { is_active: false }))],
    ["a role change", async (user: Account) =>
      expectSuccess(await rest("PATCH", `/api/admin/users/${user.data.user_id}`, adminToken, { role: "seller" }))],
    ["deletion", async (user: Account) =>
      expectSuccess(await rest("DELETE", `/api/admin/users/${user.data.user_id}`, adminToken))],
  ])("%s ends the session's tasks.onChange and orders.onChange with INVALID_TOKEN", async (what, revoke) => {
    const user = await account(server.url);
    const bystander = await account(server.url);
    const streams = [watch(user.tokens.access_token), watch(user.tokens.access_token, "orders"), watch(bystander.tokens.access_token)];
    try {
      await within(Promise.all(streams.map((s) => s.opened)), "streams open");
      const started = performance.now();
      await revoke(user);
      const errors = await within(Promise.all([streams[0]!.error, streams[1]!.error]), "the revoked session's streams ended");
      console.log(`[streams] ${what}: both streams ended ${(performance.now() - started).toFixed(0)} ms after the request was sent`);
      for (const error of errors) expect(error.data).toMatchObject({ appCode: "INVALID_TOKEN" });
      await vi.waitFor(() => expect(openStreams()).toBe(1), { timeout: 10_000 });
    } finally {
      for (const s of streams) s.stop();
      await vi.waitFor(() => expect(openStreams()).toBe(0), { timeout: 10_000 });
    }
  });
});

describe("streams per user (LIVE_STREAMS_PER_USER=3)", () => {
  it("refuses the 4th stream of a user with RATE_LIMITED, and not another user's", async () => {
    const [user, other] = [await account(server.url), await account(server.url)];
    const streams = [watch(user.tokens.access_token), watch(user.tokens.access_token, "orders"), watch(user.tokens.access_token)];
    try {
      await within(Promise.all(streams.map((s) => s.opened)), "three streams open");
      await vi.waitFor(() => expect(openStreams()).toBe(3), { timeout: 10_000 });
      const fourth = watch(user.tokens.access_token);
      streams.push(fourth);
      expect((await within(fourth.error, "the 4th refused")).data).toMatchObject({ appCode: "RATE_LIMITED" });
      const others = watch(other.tokens.access_token);
      streams.push(others);
      await within(others.opened, "another user's stream open");
      await vi.waitFor(() => expect(openStreams()).toBe(4), { timeout: 10_000 });
    } finally {
      for (const s of streams) s.stop();
      await vi.waitFor(() => expect(openStreams()).toBe(0), { timeout: 10_000 });
    }
  });
});

/** A stream opened over a raw socket that stops reading once the stream is open, and keeps the connection. */
async function stalledStream(token: string): Promise<{ socket: Socket; closed: Promise<void> }> {
  const { hostname, port } = new URL(server.url);
  const socket = connect(Number(port), hostname);
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  socket.on("error", () => {});
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  socket.write(`GET /trpc/tasks.onChange HTTP/1.1\r\nHost: ${hostname}\r\nAccept: text/event-stream\r\nAuthorization: Bearer ${token}\r\n\r\n`);
  await new Promise<void>((resolve) => {
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (!seen.includes("event: connected")) return;
      socket.off("data", onData);
      socket.pause(); // from now on nothing is read: the kernel's buffers fill, then the server's
      resolve();
    };
    socket.on("data", onData);
  });
  return { socket, closed };
}

describe(`a stream whose client stops reading (LIVE_STREAM_QUEUE=${QUEUE})`, { timeout: 180_000 }, () => {
  it("holds at most the queue bound while 4,000 task events are published, then is dropped; a reading stream gets every event", async () => {
    const user = await account(server.url);
    const token = user.tokens.access_token;
    const stalled = await stalledStream(token);
    const received: { type: string; task: { title: string } }[] = [];
    const reader = liveTrpcClient(server.url, token).tasks.onChange.subscribe(undefined, {
      onData: (event) => void received.push(event as (typeof received)[number]),
    });
    try {
      await vi.waitFor(() => expect(openStreams()).toBe(2), { timeout: 10_000 });
      // Events as large as a task can make them (10,000 characters of 4 bytes each): ~40 KB, so the 4,000 of them
      // (160 MB) are far more than the kernel's socket buffers can take in for the stalled client. They are
      // published straight to the bus, 20 at a time as a batch of tasks.create would, and the reading client is
      // given the time to read each round.
      const description = "\u{1F600}".repeat(10_000);
      const now = new Date().toISOString();
      const task = (i: number) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, title: `t${i}`, description, status: "todo", priority: "medium", due_date: null, created_at: now, updated_at: now });
      let mostQueued = 0;
      for (let round = 0; round < 200; round++) {
        for (let i = round * 20; i < (round + 1) * 20; i++) await server.services.taskEvents.publish(user.data.user_id, { type: "created", task: task(i) } as never);
        mostQueued = Math.max(mostQueued, server.services.taskEvents.queued());
        await vi.waitFor(() => expect(received.length).toBe((round + 1) * 20), { timeout: 30_000, interval: 5 });
      }
      console.log(`[streams] 4,000 events of ~40 KB with a stalled stream: at most ${mostQueued} events queued in the server`);
      // The stalled stream held at most QUEUE unread events (the reader, kept in step, at most a round's 20)...
      expect(mostQueued).toBeLessThanOrEqual(QUEUE + 20);
      // ...then was dropped, and its connection closed: the server holds nothing more for it.
      await vi.waitFor(() => expect(openStreams()).toBe(1), { timeout: 30_000 });
      expect(server.services.taskEvents.subscriberCount()).toBe(1);
      stalled.socket.resume(); // reading again, the client finds its connection closed
      await within(stalled.closed, "the stalled stream's connection closed by the server");
      expect(received.map((event) => event.task.title)).toEqual(Array.from({ length: 4000 }, (_, i) => `t${i}`));
    } finally {
      reader.unsubscribe();
      stalled.socket.destroy();
      await vi.waitFor(() => expect(openStreams()).toBe(0), { timeout: 10_000 });
    }
  });
});
