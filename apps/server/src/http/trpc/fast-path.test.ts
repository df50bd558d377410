/**
 * The fast path answers exactly as tRPC's own adapter does. Every request below is sent to tRPC's adapter and to the
 * fast path (falling back to the adapter as in production), over the same services and database; status, headers
 * and body bytes must be equal. For each request the test also knows whether the fast path should have answered
 * it itself, so that a fast path that quietly hands everything to the adapter fails too.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, registerUser } from "../../testing/http.ts";
import { startTestServer, type TestServer } from "../../testing/server.ts";
import { trpcAdapter } from "./adapter.ts";
import { trpcFastPath } from "./fast-path.ts";

let server: TestServer;
let sides: Server;
let base: string;
let token: string;
/** Whether the fast path answered the last request it was given. */
let answeredFast = false;

beforeAll(async () => {
  server = await startTestServer({ LOGIN_MAX_FAILURES_PER_ACCOUNT: "1" });
  const logger = pino({ level: "silent" });
  const fast = trpcFastPath(server.services, logger);
  const adapter = trpcAdapter(server.services, logger);
  // /adapter/… goes to tRPC's adapter only; /fast/… to the fast path, then the adapter when it declines.
  sides = createServer((req, res) => {
    const url = new URL(req.url!, "http://localhost");
    const path = url.pathname.slice(url.pathname.lastIndexOf("/") + 1);
    const facts = { requestId: "diff", clientAddress: "127.0.0.1", route: "test" };
    void (async () => {
      if (url.pathname.startsWith("/adapter/")) return adapter(req, res, facts, path);
      answeredFast = await fast(req, res, facts, path, url);
      if (!answeredFast) await adapter(req, res, facts, path);
    })();
  });
  await new Promise<void>((resolve) => sides.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(sides.address() as AddressInfo).port}`;

  const user = await registerUser(server.url);
  token = (await login(server.url, user.input.username)).access_token;
  const auth = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
  for (const key of ["a", "b", "c"]) {
    await fetch(`${server.url}/api/data`, { method: "POST", headers: auth, body: JSON.stringify({ key, value: `value of ${key}` }) });
  }
  // One failure (the limit) for the name "nobody": every later attempt for it is throttled, on either side.
  await fetch(`${server.url}/api/token`, { method: "POST", headers: auth, body: JSON.stringify({ username: "nobody", password: "wrong" }) });
});
afterAll(async () => {
  await new Promise((resolve) => sides?.close(resolve));
  await server?.stop();
});

interface Case {
  name: string;
  method: "GET" | "POST" | "PUT" | "HEAD";
  /** After /trpc/: procedure path(s) and query. */
  target: string;
  body?: string;
  headers?: Record<string, string>;
  signedIn?: boolean;
  /** Whether the fast path answers this request itself (else it hands it to the adapter). */
  fast: boolean;
  /** Undoes what the first send changed, so the second meets the same state. */
  reset?: () => Promise<void>;
}

const input = (value: unknown) => encodeURIComponent(JSON.stringify(value));
const batch = (...values: unknown[]) => input(Object.fromEntries(values.map((value, i) => [i, value])));
const deleteKey = (key: string) => async () => {
  await fetch(`${server.url}/api/data/${key}`, { method: "DELETE", headers: { Authorization: `Bearer ${token}` } });
};

const CASES: Case[] = [
  { name: "a query", method: "GET", target: `data.get?input=${input({ key: "a" })}`, signedIn: true, fast: true },
  { name: "a query without input", method: "GET", target: "auth.me", signedIn: true, fast: true },
  { name: "a query's error (not found)", method: "GET", target: `data.get?input=${input({ key: "nope" })}`, signedIn: true, fast: true },
  { name: "a query's validation error", method: "GET", target: `data.get?input=${input({ key: "" })}`, signedIn: true, fast: true },
  { name: "a query with no token", method: "GET", target: `data.get?input=${input({ key: "a" })}`, fast: true },
  { name: "a query with a bad token", method: "GET", target: "auth.me", headers: { Authorization: "Bearer nope" }, fast: true },
  { name: "a batch of queries", method: "GET", target: `data.get,data.get,data.list?batch=1&input=${batch({ key: "a" }, { key: "b" }, { limit: 2 })}`, signedIn: true, fast: true },
  {
    name: "a batch with mixed outcomes (207)",
    method: "GET",
    target: `data.get,data.get,data.get?batch=1&input=${batch({ key: "a" }, { key: "missing" }, { key: 5 })}`,
    signedIn: true,
    fast: true,
  },
  { name: "a batch whose calls all fail alike", method: "GET", target: `data.get,auth.me?batch=1&input=${batch({ key: "a" })}`, fast: true },
  { name: "a batch without input", method: "GET", target: "auth.me,auth.me?batch=1", signedIn: true, fast: true },
  { name: "a mutation", method: "POST", target: "data.update", body: JSON.stringify({ key: "a", value: "value of a" }), signedIn: true, fast: true },
  {
    name: "a mutation that creates",
    method: "POST",
    target: "data.create",
    body: JSON.stringify({ key: "fresh", value: "v" }),
    signedIn: true,
    fast: true,
    reset: deleteKey("fresh"),
  },
  { name: "a mutation's conflict", method: "POST", target: "data.create", body: JSON.stringify({ key: "a", value: "v" }), signedIn: true, fast: true },
  {
    name: "a batch of mutations with mixed outcomes",
    method: "POST",
    target: "data.update,data.delete,data.create?batch=1",
    body: JSON.stringify({ 0: { key: "b", value: "value of b" }, 1: { key: "missing" }, 2: { key: "c", value: "x" } }),
    signedIn: true,
    fast: true,
  },
  { name: "a mutation's validation error", method: "POST", target: "auth.register", body: JSON.stringify({ username: "x" }), fast: true },
  { name: "a throttled login (429, Retry-After)", method: "POST", target: "auth.token", body: JSON.stringify({ username: "nobody", password: "wrong" }), fast: true },
  { name: "a mutation with a body that is not JSON", method: "POST", target: "data.update", body: "{oops", signedIn: true, fast: false },
  { name: "a query whose input is not JSON", method: "GET", target: "data.get?input=%7Boops", signedIn: true, fast: false },
  { name: "a batch whose input is not an object", method: "GET", target: `data.get,data.get?batch=1&input=${input([1, 2])}`, signedIn: true, fast: false },
  { name: "an unknown procedure", method: "GET", target: "nowhere.at.all", fast: false },
  { name: "a batch naming an unknown procedure", method: "GET", target: `data.get,nowhere?batch=1&input=${batch({ key: "a" })}`, signedIn: true, fast: false },
  { name: "a query sent as a mutation", method: "POST", target: "data.get", body: JSON.stringify({ key: "a" }), signedIn: true, fast: false },
  { name: "a mutation sent as a query", method: "GET", target: `data.create?input=${input({ key: "q", value: "v" })}`, signedIn: true, fast: false },
  {
    name: "a batch over the size limit",
    method: "GET",
    target: `${Array(21).fill("auth.me").join(",")}?batch=1`,
    signedIn: true,
    fast: false,
  },
  { name: "a mutation that is not JSON by its type", method: "POST", target: "data.update", body: "key=a", headers: { "Content-Type": "text/plain" }, signedIn: true, fast: false },
  { name: "a streaming request", method: "GET", target: `data.get?batch=1&input=${batch({ key: "a" })}`, headers: { "trpc-accept": "application/jsonl" }, signedIn: true, fast: false },
  { name: "a method tRPC does not take", method: "PUT", target: "data.update", body: "{}", signedIn: true, fast: false },
  { name: "an undecodable path", method: "GET", target: "data.get%E0%A4%A", fast: false },
];

/** Everything but what differs between two answers by nature (the date, the connection, the framing). */
const FRAMING = new Set(["date", "connection", "keep-alive", "content-length", "transfer-encoding"]);

async function send(side: "adapter" | "fast", test: Case) {
  const headers: Record<string, string> = {
    // Compression (of answers from 1 KiB, by the server's writeJson) is the transport's business, not tRPC's.
    "Accept-Encoding": "identity",
    ...(test.body !== undefined && { "Content-Type": "application/json" }),
    ...(test.signedIn && { Authorization: `Bearer ${token}` }),
    ...test.headers,
  };
  const res = await fetch(`${base}/${side}/${test.target}`, { method: test.method, headers, body: test.body });
  const kept = [...res.headers].filter(([name]) => !FRAMING.has(name));
  return { status: res.status, headers: kept, body: Buffer.from(await res.arrayBuffer()).toString("utf8") };
}

describe("the tRPC fast path", () => {
  it.each(CASES)("answers $name exactly as tRPC's adapter", async (test) => {
    const expected = await send("adapter", test);
    await test.reset?.();
    const actual = await send("fast", test);
    expect(answeredFast, "answered by the fast path itself").toBe(test.fast);
    // Retry-After counts down the throttle's window: the two answers may be a second apart.
    const retryAfter = (answer: typeof expected) => Number(answer.headers.find(([name]) => name === "retry-after")?.[1] ?? Number.NaN);
    if (!Number.isNaN(retryAfter(expected))) {
      expect(Math.abs(retryAfter(actual) - retryAfter(expected))).toBeLessThanOrEqual(1);
      const other = (answer: typeof expected) => ({ ...answer, headers: answer.headers.filter(([name]) => name !== "retry-after") });
      expect(other(actual)).toEqual(other(expected));
    } else {
      expect(actual).toEqual(expected);
    }
  });

  it("answers each kind of case it takes (the list above covers successes, errors, batches and refusals)", () => {
    expect(CASES.filter((test) => test.fast).length).toBeGreaterThanOrEqual(10);
    expect(CASES.filter((test) => !test.fast).length).toBeGreaterThanOrEqual(10);
  });
});
