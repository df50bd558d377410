import type { Config } from "@tessera/config";
import type { Database } from "@tessera/db";
import { createLoginThrottle, type LimiterFactory, type LoginThrottle } from "./login-throttle.ts";
import { createPasswordHasher, type PasswordHasher } from "./passwords.ts";
import { redisLimiters } from "./redis-limiters.ts";
import { createRedisTaskEvents } from "./redis-task-events.ts";
import { consoleLogger, createRedisConnections, type RedisConnections, type ServiceLogger } from "./redis.ts";
import { createSessionLookup, type SessionLookup } from "./session-lookup.ts";
import { createInProcessTaskEvents, type TaskEvents } from "./task-events.ts";
import { createTokenService, type TokenService } from "./tokens.ts";

/**
 * Everything a procedure may use, built once per process.
 *
 * Cross-process state: with `config.redisUrl`, login throttling and task events live in Redis; without it,
 * in this process (one server process only). Sessions live in the database. Without `config.redisUrl` (one
 * process) authentication keeps them in memory, emptied by every write to users or sessions this process
 * makes (session-lookup.ts); with it (several processes) every authenticated request reads its session row
 * from the shared database, so a logout or revocation in one process is refused by every other at once.
 */
export interface Services {
  db: Database;
  tokens: TokenService;
  passwords: PasswordHasher;
  loginThrottle: LoginThrottle;
  taskEvents: TaskEvents;
  /** Where authentication finds a session and its user. */
  sessions: SessionLookup;
  /** Resolves when every backing service answers (the database, and Redis when configured): for /readyz. */
  ready(): Promise<void>;
  /** Closes what createServices opened (the Redis connections), not the database it was given. */
  close(): Promise<void>;
}

export interface ServiceOverrides {
  /** Where login failures are counted; in this process by default, in Redis with `config.redisUrl`. */
  limiters?: LimiterFactory;
  /** What carries live task events; in this process by default, Redis pub/sub with `config.redisUrl`. */
  taskEvents?: TaskEvents;
  logger?: ServiceLogger;
}

export function createServices(config: Config, db: Database, options: ServiceOverrides = {}): Services {
  const logger = options.logger ?? consoleLogger;
  // The one place that chooses between the in-process and the Redis implementations.
  const redis: RedisConnections | undefined = config.redisUrl
    ? createRedisConnections({ url: config.redisUrl, keyPrefix: config.redisKeyPrefix, logger })
    : undefined;
  return {
    db,
    tokens: createTokenService({
      secret: config.jwtSecret,
      accessTtlSeconds: config.accessTokenTtlSeconds,
      refreshTtlSeconds: config.refreshTokenTtlSeconds,
    }),
    passwords: createPasswordHasher(config.bcryptCost),
    loginThrottle: createLoginThrottle(config.loginThrottle, options.limiters ?? (redis && redisLimiters(redis.commands))),
    taskEvents: options.taskEvents ?? (redis ? createRedisTaskEvents(redis, logger) : createInProcessTaskEvents()),
    sessions: createSessionLookup(db, { cache: !redis }),
    async ready() {
      await Promise.all([db.ping(), redis?.ready()]);
    },
    async close() {
      await redis?.quit();
    },
  };
}

export type { AccessClaims, TokenService } from "./tokens.ts";
export type { LimiterFactory, LoginThrottle } from "./login-throttle.ts";
export type { PasswordHasher } from "./passwords.ts";
export { createInProcessTaskEvents, type TaskEvents } from "./task-events.ts";
export { createRedisConnections, type RedisConnections, type ServiceLogger } from "./redis.ts";
export { createRedisTaskEvents } from "./redis-task-events.ts";
export { redisLimiters } from "./redis-limiters.ts";
