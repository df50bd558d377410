import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import dotenv from "dotenv";
import { z } from "zod";
import { imageFields, imageProblems, imageSettings } from "./images.ts";

export type { ImageSettings, S3Settings } from "./images.ts";

/**
 * The repository's root folder, found from this package's place in it (not from this module's file, which a
 * production bundle moves elsewhere).
 */
export const REPO_ROOT = path.resolve(path.dirname(createRequire(import.meta.url).resolve("@tessera/config/package.json")), "../..");

/** The payment providers built in: only the simulator (a card processor's test mode) so far. */
export const PAYMENT_PROVIDERS = ["simulator"] as const;

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
  ...imageFields,
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
  HTTP_HEADERS_TIMEOUT_MS: integer(1).default(20_000),
  HTTP_REQUEST_TIMEOUT_MS: integer(1).default(60_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: integer(1).default(5_000),
  HTTP_MAX_CONNECTIONS: integer(1).default(2_000),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  DATABASE_CONNECT_TIMEOUT_SECONDS: integer(0).default(30),
  // Marketplace limits (SECURITY.md, "Limits").
  CATALOG_SEARCH_SCAN_ROWS: integer(1, 100_000).default(1000),
  CATALOG_SEARCH_SCAN_BYTES: integer(1024).default(256 * 1024),
  // At most 90: 90 lines × 99 units × a price of 10^12 stays below 2^53, so totals are exact (MAX_CART_LINES, cart.schema.ts).
  CART_MAX_LINES: integer(1, 90).default(90),
  SELLER_MAX_PRODUCTS: integer(1).default(1000),
  // Payments: no default in prod (see paymentProblems).
  PAYMENT_PROVIDER: z.enum(PAYMENT_PROVIDERS).optional(),
  CHECKOUT_SETTLE_DEADLINE_SECONDS: integer(1).default(30),
  CHECKOUT_RECONCILE_INTERVAL_SECONDS: integer(0).default(30),
  PAYMENT_SIMULATOR_LATENCY_MS: integer(0, 60_000).default(0),
}).refine((env) => env.HTTP_HEADERS_TIMEOUT_MS <= env.HTTP_REQUEST_TIMEOUT_MS, {
  path: ["HTTP_HEADERS_TIMEOUT_MS"],
  message: "must not be longer than HTTP_REQUEST_TIMEOUT_MS",
});

type Env = z.output<typeof envSchema>;
type EnvName = Env["ENV"];

/**
 * The configuration a process runs with, as loadConfig answers it. Its type is what configFrom builds, so each
 * setting is written once: its variable in envSchema, its name, meaning and type where configFrom sets it.
 */
export type Config = ReturnType<typeof configFrom>;
export type MarketLimits = Config["market"];
export type PaymentSettings = Config["payments"];

export class ConfigError extends Error {
  override name = "ConfigError";
}

const MIN_SECRET_BYTES = 32;

/** Largest product image upload, inclusive (docs/contract.md: 5 MiB; fixed by the contract, not configurable). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** Every problem of a configuration, one line each, so that an operator fixes them in one go. */
const invalid = (problems: string[]) =>
  new ConfigError(problems.length === 1 ? `Invalid configuration: ${problems[0]}` : `Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);

/**
 * Reads `.env.<ENV>` from the repository root, lets real environment variables override it,
 * and validates the result. Throws ConfigError naming every variable that is wrong or missing.
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env, envDir = REPO_ROOT): Config {
  const envName = environment.ENV ?? "dev";
  const envFile = path.join(envDir, `.env.${envName}`);
  const fromFile = existsSync(envFile) ? dotenv.parse(readFileSync(envFile)) : {};
  const parsed = envSchema.safeParse({ ...fromFile, ...environment });
  if (!parsed.success) {
    // The secrets are checked too (unless ENV itself is wrong), so that a prod start lists them with the rest.
    const envValue = { ...fromFile, ...environment }.ENV ?? "dev";
    const all = { ...fromFile, ...environment };
    const secrets = ["dev", "test", "prod"].includes(envValue)
      ? [...secretProblems(envValue as EnvName, all), ...paymentProblems(envValue as EnvName, all.PAYMENT_PROVIDER)]
      : [];
    throw invalid([...parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`), ...secrets]);
  }
  const env = parsed.data;
  const problems = [...secretProblems(env.ENV, env), ...paymentProblems(env.ENV, env.PAYMENT_PROVIDER), ...imageProblems(env)];
  if (problems.length > 0) throw invalid(problems);
  return configFrom(env);
}

/** The settings of an environment that secretProblems, paymentProblems and imageProblems found nothing wrong with. */
function configFrom(env: Env) {
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    env: env.ENV,
    host: env.HOST,
    port: env.PORT,
    dataDir,
    databaseUrl: env.DATABASE_URL ?? `file:${path.join(dataDir, "tessera.db")}`,
    /** Most connections each process keeps to PostgreSQL (ignored for SQLite). */
    databasePoolMax: env.DATABASE_POOL_MAX,
    /** Shared state for several processes (throttling, task events); in-process state when absent. */
    redisUrl: env.REDIS_URL,
    /** Prefix of every Redis key and channel: lets deployments (or test runs) share one Redis. */
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    jwtSecret: resolveSecret("JWT_SECRET", env.ENV, env.JWT_SECRET, dataDir, "jwt-secret"),
    /** HMAC-SHA256 key of payment webhooks (`Tessera-Signature`, docs/contract.md). */
    webhookSecret: resolveSecret("WEBHOOK_SECRET", env.ENV, env.WEBHOOK_SECRET, dataDir, "webhook-secret"),
    ...imageSettings(env),
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
    bcryptCost: env.BCRYPT_COST,
    loginThrottle: {
      maxPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxPerAddress: env.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowSeconds: env.LOGIN_FAILURE_WINDOW_SECONDS,
    },
    /** Registrations per client address (IPv6: per /64) per window. */
    registrationThrottle: { maxPerAddress: env.REGISTER_MAX_PER_ADDRESS, windowSeconds: env.REGISTER_WINDOW_SECONDS },
    /** Most key-value entries and tasks one user may have. */
    quotas: { keysPerUser: env.QUOTA_KEYS_PER_USER, tasksPerUser: env.QUOTA_TASKS_PER_USER },
    /** How often expired sessions are deleted, and the most rows one sweep deletes. */
    sessionPurge: { intervalSeconds: env.SESSION_PURGE_INTERVAL_SECONDS, maxRowsPerSweep: env.SESSION_PURGE_MAX_ROWS },
    /** Live streams (tasks.onChange, orders.onChange): open per user and per connection in one process; events queued per stream. */
    liveStreams: { perUser: env.LIVE_STREAMS_PER_USER, perConnection: env.LIVE_STREAMS_PER_CONNECTION, queue: env.LIVE_STREAM_QUEUE },
    /** Express's `trust proxy` setting: decides which address counts as the client's. */
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    /** Browser origins allowed to call the API cross-origin; empty: CORS stays off. */
    corsOrigins: env.CORS_ORIGINS.split(",").map((origin) => origin.trim()).filter(Boolean),
    logLevel: env.LOG_LEVEL,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    /** Slow and idle clients: how long a request's headers, a whole request and an idle kept-alive connection may take. */
    http: {
      headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: env.HTTP_MAX_CONNECTIONS,
    },
    /** When set, GET /metrics needs `Authorization: Bearer <metricsToken>`. */
    metricsToken: env.METRICS_TOKEN,
    /** How long a start keeps retrying a database that does not answer (PostgreSQL), with backoff, before giving up. */
    databaseConnectTimeoutSeconds: env.DATABASE_CONNECT_TIMEOUT_SECONDS,
    /** What one request may make the marketplace do or keep (SECURITY.md, "Limits"). */
    market: {
      /** A catalog search (`q`) tests at most this many products per page (in the listing's order after the cursor)... */
      searchScanRows: env.CATALOG_SEARCH_SCAN_ROWS,
      /** ...and at most this many bytes of their searchable text; a page that stops there is short, with a next_cursor. */
      searchScanBytes: env.CATALOG_SEARCH_SCAN_BYTES,
      /** Lines one cart may hold (a checkout of more is refused before anything is reserved). */
      cartMaxLines: env.CART_MAX_LINES,
      /** Products one seller may have, archived ones included. */
      sellerMaxProducts: env.SELLER_MAX_PRODUCTS,
    },
    payments: {
      /** Which processor charges; in prod it must be named explicitly (PAYMENT_PROVIDER: paymentProblems made sure it is). */
      provider: env.PAYMENT_PROVIDER ?? "simulator",
      /** A checkout (or a refund) still unsettled this long after its last step is reconciled against the provider. */
      settleDeadlineSeconds: env.CHECKOUT_SETTLE_DEADLINE_SECONDS,
      /** How often each process looks for such checkouts and refunds (besides once at start); 0: only at start. */
      reconcileIntervalSeconds: env.CHECKOUT_RECONCILE_INTERVAL_SECONDS,
      /** How long the simulator takes to answer a charge or a refund, as a processor's network round trip would. */
      simulatorLatencyMs: env.PAYMENT_SIMULATOR_LATENCY_MS,
    },
  };
}

const SECRETS = ["JWT_SECRET", "WEBHOOK_SECRET"] as const;

/** What is wrong with the signing secrets: too short wherever given, missing in prod. */
function secretProblems(env: EnvName, values: Partial<Record<(typeof SECRETS)[number], string>>): string[] {
  return SECRETS.flatMap((name) => {
    const secret = values[name];
    if (secret !== undefined && Buffer.byteLength(secret, "utf8") < MIN_SECRET_BYTES) return [`${name} must be at least ${MIN_SECRET_BYTES} bytes`];
    if (secret === undefined && env === "prod") return [`${name} is required in prod (at least ${MIN_SECRET_BYTES} bytes)`];
    return [];
  });
}

/**
 * The payment provider: the simulator by default in dev and test; in prod there is no default, so that a deployment
 * never takes simulated payments without having said so (the server then also warns at start).
 */
function paymentProblems(env: EnvName, provider: string | undefined): string[] {
  if (provider !== undefined || env !== "prod") return [];
  return [`PAYMENT_PROVIDER is required in prod (one of: ${PAYMENT_PROVIDERS.join(", ")}; simulator takes test cards, not money)`];
}

/** A signing secret (checked by secretProblems): given, random per start in test, generated once in dev. */
function resolveSecret(_name: string, env: EnvName, secret: string | undefined, dataDir: string, fileName: string): string {
  if (secret !== undefined) return secret;
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
