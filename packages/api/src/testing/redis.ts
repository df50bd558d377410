/** Shared by the Redis tests: they need a real Redis and fail (never skip) when it does not answer. */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { createRedisConnections, type RedisConnections, type ServiceLogger } from "../services/redis.ts";

export const TEST_REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A prefix of its own per test: counters and channels of other tests (and files) are invisible. */
export const randomPrefix = () => `tessera-test:${randomUUID()}:`;

export const silentLogger: ServiceLogger = { info() {}, warn() {}, error() {} };

const opened: RedisConnections[] = [];

/** Connections as a server process makes them; closed by closeAll() (call it in afterEach). */
export function connections(keyPrefix: string, url = TEST_REDIS_URL, extra: { connectTimeoutMs?: number; readyTimeoutMs?: number } = {}) {
  const redis = createRedisConnections({ url, keyPrefix, logger: silentLogger, ...extra });
  opened.push(redis);
  return redis;
}

export const closeAll = () => Promise.all(opened.splice(0).map((redis) => redis.quit()));

/** A plain client without prefix, to look at what the services stored. */
export const rawClient = () => new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });

