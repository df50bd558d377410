import type { MarketLimits, PaymentSettings } from "@tessera/config";
import type { Database } from "@tessera/db";
import type { OrderEvent } from "../router/orders/orders.schema.ts";
import type { TaskEvent } from "../router/tasks/tasks.schema.ts";
import type { CounterFactory } from "./attempt-counters.ts";
import type { EventBus } from "./event-bus.ts";
import type { ImageStorage } from "./image-storage.ts";
import type { ImageSweep } from "./image-sweep.ts";
import type { LiveStreams } from "./live-streams.ts";
import type { LoginThrottle } from "./login-throttle.ts";
import type { DomainMetrics } from "./metrics.ts";
import type { PasswordHasher } from "./passwords.ts";
import type { PaymentProvider } from "./payments/provider.ts";
import type { Quotas } from "./quotas.ts";
import type { ServiceLogger } from "./redis.ts";
import type { RegistrationThrottle } from "./registration-throttle.ts";
import type { SessionLookup } from "./session-lookup.ts";
import type { TokenService } from "./tokens.ts";

// The shape of the services, apart from index.ts that builds them: what runs inside the services (the checkout
// reconciler) and the procedures' context need the type without importing the module that starts them.

export type TaskEvents = EventBus<TaskEvent>;
export type OrderEvents = EventBus<OrderEvent>;

/**
 * Everything a procedure may use, built once per process.
 *
 * Cross-process state: with `config.redisUrl`, login and registration throttling, task and order events, and the
 * session-change notices that end revoked sessions' live streams live in Redis; without it, in this process (one
 * server process only). Sessions live in the database. Without `config.redisUrl` (one
 * process) authentication keeps them in memory, emptied by every write to users or sessions this process
 * makes (session-lookup.ts); with it (several processes) every authenticated request reads its session row
 * from the shared database, so a logout or revocation in one process is refused by every other at once.
 */
export interface Services {
  db: Database;
  tokens: TokenService;
  passwords: PasswordHasher;
  loginThrottle: LoginThrottle;
  /** Registrations per client address (REGISTER_MAX_PER_ADDRESS), counted where login failures are. */
  registrationThrottle: RegistrationThrottle;
  taskEvents: TaskEvents;
  /** Order status changes, to each order's buyer and seller (orders.onChange); in-process or Redis, like taskEvents. */
  orderEvents: OrderEvents;
  /** Charges, refunds and webhook events: the built-in simulator unless another provider is given. */
  payments: PaymentProvider;
  /** Settlement deadlines of checkouts and refunds (config.payments). */
  paymentSettings: PaymentSettings;
  /** The marketplace's limits: search scan, cart lines, products per seller (config.market). */
  market: MarketLimits;
  /** For what a procedure must report without failing the request (a refund that did not go through). */
  logger: ServiceLogger;
  /** Where product images' bytes are kept (IMAGE_STORAGE: files under DATA_DIR/images by default, or S3). */
  images: ImageStorage;
  /** The largest width × height an uploaded image may declare (IMAGE_MAX_PIXELS). */
  imageMaxPixels: number;
  /** Removes image bytes after their rows are gone, and sweeps away bytes without a row (started with the services). */
  imageSweep: ImageSweep;
  /** Where authentication finds a session and its user. */
  sessions: SessionLookup;
  /** Counts of logins, registrations, orders and webhook events, for the server's /metrics (no-ops by default). */
  metrics: DomainMetrics;
  /** Per-user limits on keys and tasks (QUOTA_*). */
  quotas: Quotas;
  /** Open live streams (tasks.onChange, orders.onChange): their limits, and their end when their session ends. */
  liveStreams: LiveStreams;
  /** Resolves when every backing service answers (the database, and Redis when configured): for /readyz. */
  ready(): Promise<void>;
  /**
   * Stops what createServices started (the image sweep, the checkout reconciler, the session purge, the
   * session-change listener, the Redis connections), not the database it was given.
   */
  close(): Promise<void>;
}

export interface ServiceOverrides {
  /** Where login and registration attempts are counted; in this process by default, in Redis with `config.redisUrl`. */
  counters?: CounterFactory;
  /** What carries live task events; in this process by default, Redis pub/sub with `config.redisUrl`. */
  taskEvents?: TaskEvents;
  orderEvents?: OrderEvents;
  /** The payment provider; the simulator (signing its webhook events with config.webhookSecret) by default. */
  payments?: PaymentProvider;
  logger?: ServiceLogger;
  images?: ImageStorage;
  metrics?: DomainMetrics;
}
