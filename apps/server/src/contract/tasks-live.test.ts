/**
 * tasks.onChange over real HTTP: tRPC's SSE transport through the express adapter, authenticated by
 * connectionParams (what a browser's EventSource can send) or the Authorization header.
 */
import { TRPCClientError } from "@trpc/client";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { liveTrpcClient } from "../testing/clients.ts";
import { call, expectSuccess, within } from "../testing/http.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { account } from "../testing/accounts.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const WAIT_MS = 5000;
const subscribers = () => server.services.taskEvents.subscriberCount();

const stops: (() => void)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  // Every test leaves no subscription behind on the server once its clients are gone.
  await vi.waitFor(() => expect(subscribers()).toBe(0), { timeout: WAIT_MS });
});

/** A user with a typed client whose subscriptions authenticate through connectionParams. */
async function liveUser() {
  const { tokens } = await account(server.url);
  return { token: tokens.access_token, client: liveTrpcClient(server.url, tokens.access_token) };
}

/** Subscribes to tasks.onChange and queues what arrives. */
function watch(client: ReturnType<typeof liveTrpcClient>) {
  const events: unknown[] = [];
  let wake = () => {};
  let resolveStarted!: () => void;
  let resolveFailed!: (error: unknown) => void;
  const started = new Promise<void>((resolve) => (resolveStarted = resolve));
  const failed = new Promise<unknown>((resolve) => (resolveFailed = resolve));
  const subscription = client.tasks.onChange.subscribe(undefined, {
    onStarted: () => resolveStarted(),
    onData: (event) => {
      events.push(event);
      wake();
    },
    onError: (error) => resolveFailed(error),
  });
  const stop = () => subscription.unsubscribe();
  stops.push(stop);
  return {
    started: within(started, "started", WAIT_MS),
    failed: within(failed, "error", WAIT_MS),
    stop,
    /** The next event, in order. */
    async next(): Promise<unknown> {
      if (events.length === 0) await within(new Promise<void>((resolve) => (wake = resolve)), "event", WAIT_MS);
      return events.shift();
    },
  };
}

describe("tasks.onChange with httpSubscriptionLink", () => {
  it("pushes created, updated (PUT and PATCH) and deleted for writes over REST and over tRPC, to the owner only", async () => {
    const [a, b] = [await liveUser(), await liveUser()];
    const [aLive, bLive] = [watch(a.client), watch(b.client)];
    await Promise.all([aLive.started, bLive.started]);

    const rest = (method: string, path: string, json?: unknown) => call(server.url, method, `/api${path}`, { json, token: a.token });
    const created = await rest("POST", "/tasks", { title: "Over REST", due_date: "2030-01-01T10:00:00+02:00" });
    expectSuccess(created, 201);
    const id: string = created.body.data.id;
    expect(await aLive.next()).toEqual({ type: "created", task: created.body.data });
    const put = await rest("PUT", `/tasks/${id}`, { title: "Put" });
    expect(await aLive.next()).toEqual({ type: "updated", task: put.body.data });
    const patch = await rest("PATCH", `/tasks/${id}`, { status: "done", due_date: null });
    expect(await aLive.next()).toEqual({ type: "updated", task: patch.body.data });
    expectSuccess(await rest("DELETE", `/tasks/${id}`));
    expect(await aLive.next()).toEqual({ type: "deleted", id });

    const viaTrpc = (await a.client.tasks.create.mutate({ title: "Over tRPC" })).data;
    expect(await aLive.next()).toEqual({ type: "created", task: viaTrpc });
    const updated = (await a.client.tasks.update.mutate({ id: viaTrpc.id, priority: "high" })).data;
    expect(await aLive.next()).toEqual({ type: "updated", task: updated });
    const patched = (await a.client.tasks.patch.mutate({ id: viaTrpc.id, description: "patched" })).data;
    expect(await aLive.next()).toEqual({ type: "updated", task: patched });
    await a.client.tasks.delete.mutate({ id: viaTrpc.id });
    expect(await aLive.next()).toEqual({ type: "deleted", id: viaTrpc.id });

    // All of A's events have arrived at A. B's first event is B's own write, made after them on the same
    // ordered stream: had any of A's reached B, it would have come first.
    const own = (await b.client.tasks.create.mutate({ title: "B's" })).data;
    expect(await bLive.next()).toEqual({ type: "created", task: own });
  });

  it("refuses a subscription without a valid token with INVALID_TOKEN", async () => {
    const { tokens } = await account(server.url);
    await call(server.url, "POST", "/api/logout", { token: tokens.access_token });
    for (const token of [undefined, "not-a-jwt", tokens.access_token]) {
      const error = await watch(liveTrpcClient(server.url, token)).failed;
      expect(error).toBeInstanceOf(TRPCClientError);
      expect((error as TRPCClientError<never>).data).toMatchObject({ appCode: "INVALID_TOKEN", httpStatus: 401 });
    }
  });

  it("releases the server's listener when the client unsubscribes", async () => {
    const a = await liveUser();
    const live = watch(a.client);
    await live.started;
    expect(subscribers()).toBe(1);
    live.stop();
    await vi.waitFor(() => expect(subscribers()).toBe(0), { timeout: WAIT_MS });
    // Writes after that reach no one and still succeed.
    expect((await a.client.tasks.create.mutate({ title: "Unheard" })).status).toBe("success");
  });
});

describe("the SSE wire", () => {
  /** Reads an event stream until `pattern` has arrived; answers everything read so far. */
  async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, seen: { text: string }, pattern: RegExp) {
    const decoder = new TextDecoder();
    while (!pattern.test(seen.text)) {
      const { value, done } = await within(reader.read(), `${pattern}`, WAIT_MS);
      if (done) throw new Error(`stream ended before ${pattern}: ${seen.text}`);
      seen.text += decoder.decode(value, { stream: true });
    }
    return seen.text;
  }

  it("streams events as they happen, authenticated by the Authorization header", async () => {
    const { tokens } = await account(server.url);
    const abort = new AbortController();
    stops.push(() => abort.abort());
    const res = await fetch(`${server.url}/trpc/tasks.onChange`, {
      headers: { Accept: "text/event-stream", Authorization: `Bearer ${tokens.access_token}` },
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const seen = { text: "" };
    await readUntil(reader, seen, /event: connected\n/);
    expect(subscribers()).toBe(1);

    // The response is still open: this event can only arrive if the adapter flushes as it goes.
    const created = await call(server.url, "POST", "/api/tasks", { json: { title: "Streamed" }, token: tokens.access_token });
    const text = await readUntil(reader, seen, /\ndata: \{[^\n]*"created"[^\n]*\}\n/);
    const data = /\ndata: (\{[^\n]*"created"[^\n]*\})\n/.exec(text)![1]!;
    expect(JSON.parse(data)).toEqual({ type: "created", task: created.body.data });
  });

  it("accepts connectionParams for subscriptions only, keeping tokens out of other URLs", async () => {
    const { tokens } = await account(server.url);
    const params = encodeURIComponent(JSON.stringify({ authorization: `Bearer ${tokens.access_token}` }));
    const reply = await call(server.url, "GET", `/trpc/tasks.list?connectionParams=${params}`);
    expect(reply.body.error.data.appCode).toBe("INVALID_TOKEN");
  });
});
