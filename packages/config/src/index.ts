import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import dotenv from "dotenv";
import { z } from "zod";

/**
 * The repository's root folder, found from this package's place in it (not from this module's file, which a
 * production bundle moves elsewhere).
 */
export const REPO_ROOT = path.resolve(path.dirname(createRequire(import.meta.url).resolve("@tessera/config/package.json")), "../..");

const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
  ENV: z.enum(["dev", "test", "prod"]).default("dev"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: integer(0, 65535).default(3000),
  DATA_DIR: z.string().min(1).default(path.join(REPO_ROOT, "data")),
  DATABASE_URL: z
    .string()
    .regex(/^(file:.+|postgres(ql)?:\/\/.+)/, "must be a file: URL (SQLite) or a postgresql:// URL")
    .optional(),
  DATABASE_POOL_MAX: integer(1, 1000).default(10),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, "must be a redis:// or rediss:// URL")
    .optional(),
  REDIS_KEY_PREFIX: z.string().min(1).default("tessera:"),
  JWT_SECRET: z.string().optional(),
  WEBHOOK_SECRET: z.string().optional(),
  IMAGE_STORAGE: z.enum(["local"]).default("local"),
  ACCESS_TOKEN_TTL_SECONDS: integer(1).default(3600),
  REFRESH_TOKEN_TTL_SECONDS: integer(1).default(7 * 24 * 3600),
  BCRYPT_COST: integer(4, 31).default(12),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: integer(1).default(10),
  LOGIN_MAX_FAILURES_PER_ADDRESS: integer(1).default(50),
  LOGIN_FAILURE_WINDOW_SECONDS: integer(1).default(15 * 60),
  REGISTER_MAX_PER_ADDRESS: integer(1).default(20),
  REGISTER_WINDOW_SECONDS: integer(1).default(3600),
  QUOTA_KEYS_PER_USER: integer(1).default(1000),
  QUOTA_TASKS_PER_USER: integer(1).default(10_000),
  SESSION_PURGE_INTERVAL_SECONDS: integer(1).default(600),
  SESSION_PURGE_MAX_ROWS: integer(1).default(10_000),
  LIVE_STREAMS_PER_USER: integer(1).default(50),
  LIVE_STREAMS_PER_CONNECTION: integer(1).default(4),
  LIVE_STREAM_QUEUE: integer(1).default(100),
  TRUST_PROXY: z.string().default("false"),
  CORS_ORIGINS: z
    .string()
    .default("")
    .refine((value) => value.split(",").every((origin) => origin.trim() === "" || /^https?:\/\/[^/\s]+$/.test(origin.trim())), "must be a comma-separated list of origins like https://app.example.com"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SHUTDOWN_TIMEOUT_MS: integer(0).default(10_000),
});

export interface Config {
  env: "dev" | "test" | "prod";
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string;
  /** Most connections each process keeps to PostgreSQL (ignored for SQLite). */
  databasePoolMax: number;
  /** Shared state for several processes (throttling, task events); in-process state when absent. */
  redisUrl: string | undefined;
  /** Prefix of every Redis key and channel: lets deployments (or test runs) share one Redis. */
  redisKeyPrefix: string;
  jwtSecret: string;
  /** HMAC-SHA256 key of payment webhooks (`Tessera-Signature`, API-MARKET.md). */
  webhookSecret: string;
  /**
   * Where product images are kept: `local`, files under `<dataDir>/images`. The storage interface in
   * packages/api is the seam for an S3-compatible driver (a second value here).
   */
  imageStorage: "local";
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  bcryptCost: number;
  loginThrottle: { maxPerAccount: number; maxPerAddress: number; windowSeconds: number };
  /** Registrations per client address (IPv6: per /64) per window. */
  registrationThrottle: { maxPerAddress: number; windowSeconds: number };
  /** Most key-value entries and tasks one user may have. */
  quotas: { keysPerUser: number; tasksPerUser: number };
  /** How often expired sessions are deleted, and the most rows one sweep deletes. */
  sessionPurge: { intervalSeconds: number; maxRowsPerSweep: number };
  /** Live streams (tasks.onChange, orders.onChange): open per user and per connection in one process; events queued per stream. */
  liveStreams: { perUser: number; perConnection: number; queue: number };
  /** Browser origins allowed to call the API cross-origin; empty: CORS stays off. */
  corsOrigins: string[];
  /** Express's `trust proxy` setting: decides which address counts as the client's. */
  trustProxy: boolean | number | string;
  logLevel: string;
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

const MIN_SECRET_BYTES = 32;

/** Largest product image upload, inclusive (API-MARKET.md: 5 MiB; fixed by the contract, not configurable). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/**
 * Reads `.env.<ENV>` from the repository root, lets real environment variables override it,
 * and validates the result. Throws ConfigError with one line naming the variable.
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env, envDir = REPO_ROOT): Config {
  const envName = environment.ENV ?? "dev";
  const envFile = path.join(envDir, `.env.${envName}`);
  const fromFile = existsSync(envFile) ? dotenv.parse(readFileSync(envFile)) : {};
  const parsed = envSchema.safeParse({ ...fromFile, ...environment });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Invalid configuration: ${String(issue.path[0])} ${issue.message}`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    env: env.ENV,
    host: env.HOST,
    port: env.PORT,
    dataDir,
    databaseUrl: env.DATABASE_URL ?? `file:${path.join(dataDir, "tessera.db")}`,
    databasePoolMax: env.DATABASE_POOL_MAX,
    redisUrl: env.REDIS_URL,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    jwtSecret: resolveSecret("JWT_SECRET", env.ENV, env.JWT_SECRET, dataDir, "jwt-secret"),
    webhookSecret: resolveSecret("WEBHOOK_SECRET", env.ENV, env.WEBHOOK_SECRET, dataDir, "webhook-secret"),
    imageStorage: env.IMAGE_STORAGE,
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
    bcryptCost: env.BCRYPT_COST,
    loginThrottle: {
      maxPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxPerAddress: env.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowSeconds: env.LOGIN_FAILURE_WINDOW_SECONDS,
    },
    registrationThrottle: { maxPerAddress: env.REGISTER_MAX_PER_ADDRESS, windowSeconds: env.REGISTER_WINDOW_SECONDS },
    quotas: { keysPerUser: env.QUOTA_KEYS_PER_USER, tasksPerUser: env.QUOTA_TASKS_PER_USER },
    sessionPurge: { intervalSeconds: env.SESSION_PURGE_INTERVAL_SECONDS, maxRowsPerSweep: env.SESSION_PURGE_MAX_ROWS },
    liveStreams: { perUser: env.LIVE_STREAMS_PER_USER, perConnection: env.LIVE_STREAMS_PER_CONNECTION, queue: env.LIVE_STREAM_QUEUE },
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    corsOrigins: env.CORS_ORIGINS.split(",").map((origin) => origin.trim()).filter(Boolean),
    logLevel: env.LOG_LEVEL,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  };
}

/** A signing secret: given (32+ bytes), required in prod, random per start in test, generated once in dev. */
function resolveSecret(name: string, env: Config["env"], secret: string | undefined, dataDir: string, fileName: string): string {
  if (secret !== undefined) {
    if (Buffer.byteLength(secret, "utf8") < MIN_SECRET_BYTES) {
      throw new ConfigError(`Invalid configuration: ${name} must be at least ${MIN_SECRET_BYTES} bytes`);
    }
    return secret;
  }
  if (env === "prod") {
    throw new ConfigError(`Invalid configuration: ${name} is required in prod (at least ${MIN_SECRET_BYTES} bytes)`);
  }
  if (env === "test") return randomBytes(MIN_SECRET_BYTES).toString("base64url");
  // dev: generated once and kept beside the database, so tokens (and signatures) survive restarts.
  const secretFile = path.join(dataDir, fileName);
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(secretFile, randomBytes(48).toString("base64url"), { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return readFileSync(secretFile, "utf8").trim();
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === "true") return true;
  if (value === "false") return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}
