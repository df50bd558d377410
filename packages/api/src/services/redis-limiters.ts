import type { Redis } from "ioredis";
import { RateLimiterRedis } from "rate-limiter-flexible";
import { type CounterFactory, memoryCounters } from "./attempt-counters.ts";

/**
 * Attempt counters in Redis, shared by every process using the same key prefix. The connection's own `keyPrefix`
 * (ioredis) goes in front of the counter's, so keys look like `tessera:login-account:user:<id>`. Counting is
 * rate-limiter-flexible's Lua script (SET NX with the window as expiry, then INCRBY, in one step): `penalty` adds
 * one and answers the new count, so concurrent attempts in any number of processes each get a count of their own;
 * `reward` takes one back.
 *
 * When Redis is unreachable the attempt is counted in this process instead (`fallback`, bounded like every
 * in-memory counter): throttling goes on per process (an attacker spreading attempts over N processes gets N times
 * the limit for the outage) rather than failing open (no limit at all) or closed (nobody can log in while Redis is
 * down, and a login outage is worse than a temporarily looser limit that still stops brute force). Counts made in
 * memory during the outage are not carried over to Redis afterwards. The same holds before the connection is
 * first up, which is why startServer waits for it.
 */
export function redisLimiters(client: Redis, fallback: CounterFactory = memoryCounters()): CounterFactory {
  return (options) => {
    const limiter = new RateLimiterRedis({
      keyPrefix: options.keyPrefix,
      duration: options.windowSeconds,
      // Unused by penalty/reward (this code compares the counts with its limits itself), but required.
      points: 1,
      storeClient: client,
      // ioredis, not node-redis: the limiter reads ioredis's reply shapes and `status`.
      useRedisPackage: false,
      // Fail at once while the connection is down instead of queueing the command behind the reconnection
      // attempts: a login must not wait for Redis to come back.
      rejectIfRedisNotReady: true,
    });
    const local = fallback(options);
    return {
      size: () => local.size(),
      async take(key) {
        let counted;
        try {
          counted = await limiter.penalty(key, 1);
        } catch {
          return local.take(key);
        }
        const endsAt = Date.now() + counted.msBeforeNext;
        return {
          count: counted.consumedPoints,
          msBeforeReset: counted.msBeforeNext,
          async giveBack() {
            // A reward after the key expired would start the next window at -1: one free attempt.
            if (Date.now() >= endsAt) return;
            // Not given back when Redis fails now: the count stays one too high until the window ends (safe side).
            await limiter.reward(key, 1).catch(() => undefined);
          },
        };
      },
    };
  };
}
