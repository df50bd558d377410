/**
 * Two server processes (the real entry point, on two ports) sharing one database and one Redis, as two
 * replicas behind a load balancer. On CI's second run the database is PostgreSQL; Redis is always used
 * (REDIS_URL or 127.0.0.1:6379) and the test fails without it.
 */
import { randomUUID } from "node:crypto";
import { createRedisConnections, type RedisConnections } from "@tessera/api";
import { createDatabase } from "@tessera/db";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { liveTrpcClient } from "./testing/clients.ts";
import { call, expectError, expectSuccess, login, me, registerUser } from "./testing/http.ts";
import { processEnvironment, type ProcessEnvironment, type ServerProcess } from "./testing/process.ts";
import { account } from "./testing/accounts.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const MAX_FAILURES = 4;
const WAIT_MS = 10_000;

let processes: ProcessEnvironment;
let one: ServerProcess;
let two: ServerProcess;
/** The test's own look at Redis, under the servers' prefix. */
let probe: RedisConnections;

beforeAll(async () => {
  // Replicas share their JWT secret (processEnvironment's): a token from one is valid on the other.
  const keyPrefix = `tessera-test:${randomUUID()}:`;
  processes = await processEnvironment({ REDIS_URL, REDIS_KEY_PREFIX: keyPrefix, LOGIN_MAX_FAILURES_PER_ACCOUNT: String(MAX_FAILURES) });
  const quiet = { info() {}, warn() {}, error() {} };
  probe = createRedisConnections({ url: REDIS_URL, keyPrefix, logger: quiet });
  // One after the other: the first applies the migrations (the second would wait for its lock anyway).
  one = await processes.start();
  two = await processes.start();
}, 120_000);

afterAll(async () => {
  expect(await Promise.all([one?.stop(), two?.stop()])).toEqual([0, 0]);
  await probe?.quit();
  await processes?.dispose();
}, 60_000);

describe("two server processes sharing the database and Redis", () => {
  it("listen on different ports and are both ready", async () => {
    expect(one.url).not.toBe(two.url);
    for (const server of [one, two]) {
      const res = await fetch(`${server.url}/readyz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "success" });
    }
  });

  it("accept on one a token issued by the other, and refuse at once a session logged out on the other", async () => {
    const { input } = await registerUser(one.url);
    const tokens = await login(one.url, input.username, input.password);
    expectSuccess(await me(two.url, tokens.access_token));
    expectSuccess(await call(two.url, "POST", "/api/logout", { token: tokens.access_token }));
    expectError(await me(one.url, tokens.access_token), 401, "INVALID_TOKEN");
  });

  it("count failed logins spread over both together, and both refuse the account at the limit", async () => {
    const { input } = await registerUser(one.url);
    const attempt = (server: ServerProcess) => call(server.url, "POST", "/api/token", { json: { username: input.username, password: "Wr0ng-password!" } });
    for (let i = 0; i < MAX_FAILURES; i++) expectError(await attempt(i % 2 === 0 ? one : two), 401, "INVALID_CREDENTIALS");
    for (const server of [one, two]) {
      const refused = await attempt(server);
      expectError(refused, 429, "RATE_LIMITED");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      const right = await call(server.url, "POST", "/api/token", { json: { username: input.username, password: input.password } });
      expectError(right, 429, "RATE_LIMITED");
    }
  });

  it("deliver a task changed through one to a subscriber on the other", async () => {
    const { tokens, data } = await account(one.url);
    const channel = `${probe.keyPrefix}task-events:${data.user_id}`;
    const redisSubscribers = async () => Number(((await probe.commands.pubsub("NUMSUB", channel)) as [string, number])[1]);
    const events: unknown[] = [];
    const subscription = liveTrpcClient(two.url, tokens.access_token).tasks.onChange.subscribe(undefined, {
      onData: (event) => void events.push(event),
    });
    try {
      // Only process two subscribes: once Redis counts one subscriber, the stream is live.
      await vi.waitFor(async () => expect(await redisSubscribers()).toBe(1), { timeout: WAIT_MS });
      const created = await call(one.url, "POST", "/api/tasks", { json: { title: "Across processes" }, token: tokens.access_token });
      expectSuccess(created, 201);
      await vi.waitFor(() => expect(events).toEqual([{ type: "created", task: created.body.data }]), { timeout: WAIT_MS });
    } finally {
      subscription.unsubscribe();
    }
    await vi.waitFor(async () => expect(await redisSubscribers()).toBe(0), { timeout: WAIT_MS });
  });

  it("run a checkout once when requests with one Idempotency-Key reach both at once, and tell the seller on the other", async () => {
    const [buyer, seller] = [await account(one.url), await account(one.url)];
    // The catalog is not under test: the seller and the product are written straight to the shared database.
    const db = await createDatabase({ url: processes.env.DATABASE_URL!, migrate: false });
    const productId = randomUUID();
    try {
      await db.kysely.updateTable("users").set({ role: "seller", store_name: "Replicated" }).where("id", "=", seller.data.user_id).execute();
      const now = new Date();
      await db.kysely
        .insertInto("products")
        .values({ id: productId, seller_id: seller.data.user_id, name: "Lamp", price_cents: 2500, stock: 5, name_search: "lamp", description_search: "", created_at: now, updated_at: now })
        .execute();
    } finally {
      await db.close();
    }
    const events: { order: { status: string } }[] = [];
    const subscription = liveTrpcClient(two.url, seller.tokens.access_token).orders.onChange.subscribe(undefined, {
      onData: (event) => void events.push(event),
    });
    try {
      const channel = `${probe.keyPrefix}order-events:${seller.data.user_id}`;
      await vi.waitFor(async () => expect(Number(((await probe.commands.pubsub("NUMSUB", channel)) as [string, number])[1])).toBe(1), { timeout: WAIT_MS });
      const token = buyer.tokens.access_token;
      expectSuccess(await call(one.url, "POST", "/api/cart/items", { json: { product_id: productId, quantity: 2 }, token }));
      const key = randomUUID();
      const replies = await Promise.all(Array.from({ length: 10 }, (_, i) =>
        call((i % 2 === 0 ? one : two).url, "POST", "/api/checkout", { json: { payment_method: "pm_card_visa" }, token, headers: { "Idempotency-Key": key } })));
      for (const reply of replies) expectSuccess(reply, 201);
      expect(new Set(replies.map((reply) => reply.text)).size).toBe(1);
      const orders = await call(two.url, "GET", "/api/orders", { token });
      expect(orders.body.data.items).toHaveLength(1);
      await vi.waitFor(() => expect(events.map((event) => event.order.status)).toEqual(["pending_payment", "paid"]), { timeout: WAIT_MS });
    } finally {
      subscription.unsubscribe();
    }
  });
});
