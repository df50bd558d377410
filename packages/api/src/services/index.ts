import type { Config } from "@tessera/config";
import type { Database } from "@tessera/db";
import { createLoginThrottle, type LimiterFactory, type LoginThrottle } from "./login-throttle.ts";
import { createPasswordHasher, type PasswordHasher } from "./passwords.ts";
import { createInProcessTaskEvents, type TaskEvents } from "./task-events.ts";
import { createTokenService, type TokenService } from "./tokens.ts";

/** Everything a procedure may use, built once per process. */
export interface Services {
  db: Database;
  tokens: TokenService;
  passwords: PasswordHasher;
  loginThrottle: LoginThrottle;
  taskEvents: TaskEvents;
}

export interface ServiceOverrides {
  /** Where login failures are counted; in this process by default. */
  limiters?: LimiterFactory;
  /** What carries live task events; in this process by default, Redis pub/sub across processes. */
  taskEvents?: TaskEvents;
}

export function createServices(config: Config, db: Database, options: ServiceOverrides = {}): Services {
  return {
    db,
    tokens: createTokenService({
      secret: config.jwtSecret,
      accessTtlSeconds: config.accessTokenTtlSeconds,
      refreshTtlSeconds: config.refreshTokenTtlSeconds,
    }),
    passwords: createPasswordHasher(config.bcryptCost),
    loginThrottle: createLoginThrottle(config.loginThrottle, options.limiters),
    taskEvents: options.taskEvents ?? createInProcessTaskEvents(),
  };
}

export type { AccessClaims, TokenService } from "./tokens.ts";
export type { LimiterFactory, LoginThrottle } from "./login-throttle.ts";
export type { PasswordHasher } from "./passwords.ts";
export { createInProcessTaskEvents, type TaskEvents } from "./task-events.ts";
