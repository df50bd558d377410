/** Login throttling on Redis: counters shared by processes with one prefix, per-process fallback without Redis. */
import { afterEach, describe, expect, it } from "vitest";
import { createLoginThrottle, type LoginThrottle } from "./login-throttle.ts";
import { redisLimiters } from "./redis-limiters.ts";
import { closeAll, closedPort, connections, randomPrefix, rawClient } from "../testing/index.ts";

afterEach(() => closeAll());

/** A failed login: counted, never given back. */
const fail = (throttle: LoginThrottle, account: string, address: string) => throttle.begin(account, address);
/** Whether an attempt would be refused now (the probe itself is given back, so it changes nothing). */
const blocked = async (throttle: LoginThrottle, account: string, address: string) => {
  const attempt = await throttle.begin(account, address);
  if ("retryAfter" in attempt) return attempt.retryAfter;
  await attempt.giveBack();
  return 0;
};

const limits = { maxPerAccount: 4, maxPerAddress: 100, windowSeconds: 60 };
/**
 * A throttle as one server process builds it: connections of its own, connected before use (startServer waits
 * for that too; until then the counts would be kept by the in-memory fallback).
 */
async function processThrottle(prefix: string) {
  const redis = connections(prefix);
  await redis.ready();
  return createLoginThrottle(limits, redisLimiters(redis.commands));
}

describe("login throttle on Redis", () => {
  it("counts the failures of two processes together and blocks the account in both", async () => {
    const prefix = randomPrefix();
    const [one, two] = await Promise.all([processThrottle(prefix), processThrottle(prefix)]);
    for (const throttle of [one, two, one]) await fail(throttle, "acct", "10.0.0.1");
    expect(await blocked(one, "acct", "10.0.0.1")).toBe(0);
    expect(await blocked(two, "acct", "10.0.0.1")).toBe(0);
    await fail(two, "acct", "10.0.0.2");
    for (const throttle of [one, two]) {
      const wait = await blocked(throttle, "acct", "10.0.0.3");
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(60);
    }
  });

  it("keeps its counters under the key prefix, with the window as expiry", async () => {
    const prefix = randomPrefix();
    await fail(await processThrottle(prefix), "user:42", "10.0.0.1");
    const raw = rawClient();
    try {
      expect((await raw.keys(`${prefix}*`)).sort()).toEqual([`${prefix}login-account:user:42`, `${prefix}login-address:10.0.0.1`]);
      const ttl = await raw.ttl(`${prefix}login-account:user:42`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60);
    } finally {
      raw.disconnect();
    }
  });

  it("shares nothing between prefixes", async () => {
    const [one, other] = await Promise.all([processThrottle(randomPrefix()), processThrottle(randomPrefix())]);
    for (let i = 0; i < limits.maxPerAccount; i++) await fail(one, "acct", "10.0.0.1");
    expect(await blocked(one, "acct", "10.0.0.1")).toBeGreaterThan(0);
    expect(await blocked(other, "acct", "10.0.0.1")).toBe(0);
  });

  it("falls back to counting in this process, without waiting, when Redis cannot be reached", async () => {
    const redis = connections(randomPrefix(), `redis://127.0.0.1:${await closedPort()}`, { connectTimeoutMs: 200, readyTimeoutMs: 500 });
    await expect(redis.ready()).rejects.toThrow();
    const throttle = createLoginThrottle(limits, redisLimiters(redis.commands));
    const started = Date.now();
    for (let i = 0; i < limits.maxPerAccount; i++) await fail(throttle, "acct", "10.0.0.1");
    expect(await blocked(throttle, "acct", "10.0.0.1")).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(500);
  });
});
