import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import type { LimiterFactory } from "./login-throttle.ts";

/**
 * Login failure counters in Redis, shared by every process using the same key prefix. The connection's own
 * `keyPrefix` (ioredis) goes in front of the limiter's, so keys look like `tessera:login-account:user:<id>`.
 *
 * When Redis is unreachable the limiter fails over to an in-memory one in this process (`insuranceLimiter`):
 * throttling goes on per process (an attacker spreading attempts over N processes gets N times the limit for
 * the outage) rather than failing open (no limit at all) or closed (nobody can log in while Redis is down,
 * and a login outage is worse than a temporarily looser limit that still stops brute force). Counts made in
 * memory during the outage are not carried over to Redis afterwards. The same holds before the connection is
 * first up, which is why startServer waits for it.
 */
export function redisLimiters(client: Redis): LimiterFactory {
  return (options) =>
    new RateLimiterRedis({
      ...options,
      storeClient: client,
      // ioredis, not node-redis: the limiter reads ioredis's reply shapes and `status`.
      useRedisPackage: false,
      // Go to the insurance limiter at once while the connection is down instead of queueing the command
      // behind the reconnection attempts: a login must not wait for Redis to come back.
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
}
