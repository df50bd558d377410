import type { Config } from "@tessera/config";
import type { Database } from "@tessera/db";
import { createLoginThrottle, type LimiterFactory, type LoginThrottle } from "./login-throttle.ts";
import { createPasswordHasher, type PasswordHasher } from "./passwords.ts";
import { createTokenService, type TokenService } from "./tokens.ts";

/** Everything a procedure may use, built once per process. */
export interface Services {
  db: Database;
  tokens: TokenService;
  passwords: PasswordHasher;
  loginThrottle: LoginThrottle;
}

export function createServices(config: Config, db: Database, options: { limiters?: LimiterFactory } = {}): Services {
  return {
    db,
    tokens: createTokenService({
      secret: config.jwtSecret,
      accessTtlSeconds: config.accessTokenTtlSeconds,
      refreshTtlSeconds: config.refreshTokenTtlSeconds,
    }),
    passwords: createPasswordHasher(config.bcryptCost),
    loginThrottle: createLoginThrottle(config.loginThrottle, options.limiters),
  };
}

export type { AccessClaims, TokenService } from "./tokens.ts";
export type { LimiterFactory, LoginThrottle } from "./login-throttle.ts";
export type { PasswordHasher } from "./passwords.ts";
