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
import { call, expectSuccess, login, userWithSession } from "../testing/http.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";

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

/** Rejects after `ms` with `what` in the message, so a stream that never ends fails the test instead of hanging it. */
function within<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not within ${ms} ms: ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

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
    ["logout", async (user: Awaited<ReturnType<typeof userWithSession>>) => expectSuccess(await rest("POST", "/api/logout", user.tokens.access_token))],
    ["refresh-token reuse", async (user: Awaited<ReturnType<typeof userWithSession>>) => {
      expectSuccess(await call(server.url, "POST", "/api/token/refresh", { json: { refresh_token: user.tokens.refresh_token } }));
      await call(server.url, "POST", "/api/token/refresh", { json: { refresh_token: user.tokens.refresh_token } });
    }],
    ["deactivation", async (user: Awaited<ReturnType<typeof userWithSession>>) =>
      expectSuccess(await rest("PATCH", `/api/admin/users/${user.data.user_id}`, adminToken, { is_active: false }))],
    ["a role change", async (user: Awaited<ReturnType<typeof userWithSession>>) =>
      expectSuccess(await rest("PATCH", `/api/admin/users/${user.data.user_id}`, adminToken, { role: "seller" }))],
    ["deletion", async (user: Awaited<ReturnType<typeof userWithSession>>) =>
      expectSuccess(await rest("DELETE", `/api/admin/users/${user.data.user_id}`, adminToken))],
  ])("%s ends the session's tasks.onChange and orders.onChange with INVALID_TOKEN", async (what, revoke) => {
    const user = await userWithSession(server.url);
    const bystander = await userWithSession(server.url);
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
    const [user, other] = [await userWithSession(server.url), await userWithSession(server.url)];
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
    const user = await userWithSession(server.url);
    const token = user.tokens.access_token;
    const stalled = await stalledStream(token);
    const received: { type: string; task: { title: string } }[] = [];
    const reader = liveTrpcClient(server.url, token).tasks.onChange.subscribe(undefined, {
      onData: (event) => void received.push(event as (typeof received)[number]),
    });
    try {
      await vi.waitFor(() => expect(openStreams()).toBe(2), { timeout: 10_000 });
      const rssBefore = process.memoryUsage().rss;
      let mostQueued = 0;
      const description = "d".repeat(10_000); // the largest a task allows: each event is ~10 KB
      for (let batch = 0; batch < 200; batch++) {
        const inputs = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [i, { title: `t${batch * 20 + i}`, description }]));
        const reply = await call(server.url, "POST", `/trpc/${Array(20).fill("tasks.create").join(",")}?batch=1`, { json: inputs, token });
        expect(reply.status).toBe(200);
        mostQueued = Math.max(mostQueued, server.services.taskEvents.queued());
      }
      console.log(
        `[streams] 4,000 events of ~10 KB with a stalled stream: at most ${mostQueued} events queued in the server; ` +
          `RSS ${(rssBefore / 2 ** 20).toFixed(0)} → ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB (test process and server together)`,
      );
      // Two streams, each holding at most QUEUE unread events: the stalled one was dropped when it overflowed.
      expect(mostQueued).toBeLessThanOrEqual(2 * QUEUE);
      // The stalled stream was dropped, then its connection closed: the server holds nothing more for it.
      await vi.waitFor(() => expect(openStreams()).toBe(1), { timeout: 30_000 });
      expect(server.services.taskEvents.subscriberCount()).toBe(1);
      stalled.socket.resume(); // reading again, the client finds its connection closed
      await within(stalled.closed, "the stalled stream's connection closed by the server");
      await vi.waitFor(() => expect(received).toHaveLength(4000), { timeout: 30_000 });
      // Each once (the calls of one batch run concurrently, so within a batch they arrive in commit order).
      expect(new Set(received.map((event) => event.task.title))).toEqual(new Set(Array.from({ length: 4000 }, (_, i) => `t${i}`)));
    } finally {
      reader.unsubscribe();
      stalled.socket.destroy();
      await vi.waitFor(() => expect(openStreams()).toBe(0), { timeout: 10_000 });
    }
  });
});
