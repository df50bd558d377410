import type { Config, MarketLimits, PaymentSettings } from "@tessera/config";
import type { Database } from "@tessera/db";
import { createImageStorage } from "./image-drivers.ts";
import type { ImageStorage } from "./image-storage.ts";
import { createImageSweep, type ImageSweep } from "./image-sweep.ts";
import type { CounterFactory } from "./attempt-counters.ts";
import { createLoginThrottle, type LoginThrottle } from "./login-throttle.ts";
import { createPasswordHasher, type PasswordHasher } from "./passwords.ts";
import { redisLimiters } from "./redis-limiters.ts";
import { createRegistrationThrottle, type RegistrationThrottle } from "./registration-throttle.ts";
import { createInProcessEventBus, type EventBus } from "./event-bus.ts";
import { createLiveStreams, type LiveStreams, type SessionChange } from "./live-streams.ts";
import { createRedisEventBus } from "./redis-event-bus.ts";
import { consoleLogger, createRedisConnections, type RedisConnections, type ServiceLogger } from "./redis.ts";
import { type DomainMetrics, noMetrics } from "./metrics.ts";
import { createQuotas, type Quotas } from "./quotas.ts";
import { startSessionPurge } from "./session-purge.ts";
import { createSessionLookup, type SessionLookup } from "./session-lookup.ts";
import { createTokenService, type TokenService } from "./tokens.ts";
import type { PaymentProvider } from "./payments/provider.ts";
import { createPaymentSimulator } from "./payments/simulator.ts";
import { startReconciler } from "../router/checkout/reconcile.ts";
import type { OrderEvent } from "../router/orders/orders.schema.ts";
import type { TaskEvent } from "../router/tasks/tasks.schema.ts";

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

export function createServices(config: Config, db: Database, options: ServiceOverrides = {}): Services {
  const logger = options.logger ?? consoleLogger;
  // The one place that chooses between the in-process and the Redis implementations.
  const redis: RedisConnections | undefined = config.redisUrl
    ? createRedisConnections({ url: config.redisUrl, keyPrefix: config.redisKeyPrefix, logger })
    : undefined;
  const images = options.images ?? createImageStorage(config);
  const imageSweep = createImageSweep({
    db, storage: images, logger, graceSeconds: config.imageSweepGraceSeconds, intervalSeconds: config.imageSweepIntervalSeconds,
  });
  imageSweep.start();
  if (config.env === "prod" && !options.payments && config.payments.provider === "simulator") {
    // Explicitly chosen (config refuses prod without PAYMENT_PROVIDER), but still said loudly at every start.
    logger.warn({ paymentProvider: "simulator" }, "PAYMENT_PROVIDER=simulator in prod: payments are simulated test-mode charges, no money moves");
  }
  const counters = options.counters ?? (redis && redisLimiters(redis.commands));
  const purge = startSessionPurge(db, { ...config.sessionPurge, graceSeconds: config.accessTokenTtlSeconds }, logger);
  // Each subscription keeps at most LIVE_STREAM_QUEUE unread events (see event-queue.ts).
  const busOptions = { maxQueued: config.liveStreams.queue };
  const bus = <E extends { type: string }>(topic: string): EventBus<E> =>
    redis ? createRedisEventBus<E>(redis, topic, logger, busOptions) : createInProcessEventBus<E>(topic, busOptions);
  const liveStreams = createLiveStreams(db, config.liveStreams, bus<SessionChange>("session"), logger);
  const services: Services = {
    db,
    tokens: createTokenService({
      secret: config.jwtSecret,
      accessTtlSeconds: config.accessTokenTtlSeconds,
      refreshTtlSeconds: config.refreshTokenTtlSeconds,
    }),
    passwords: createPasswordHasher(config.bcryptCost),
    loginThrottle: createLoginThrottle(config.loginThrottle, counters),
    registrationThrottle: createRegistrationThrottle(config.registrationThrottle, counters),
    taskEvents: options.taskEvents ?? bus<TaskEvent>("task"),
    orderEvents: options.orderEvents ?? bus<OrderEvent>("order"),
    payments: options.payments ?? createPaymentSimulator({ webhookSecret: config.webhookSecret, latencyMs: config.payments.simulatorLatencyMs }),
    paymentSettings: config.payments,
    market: config.market,
    logger,
    images,
    imageMaxPixels: config.imageMaxPixels,
    imageSweep,
    sessions: createSessionLookup(db, { cache: !redis }),
    metrics: options.metrics ?? noMetrics,
    quotas: createQuotas(db, { keys: config.quotas.keysPerUser, tasks: config.quotas.tasksPerUser }, { remember: !redis }),
    liveStreams,
    async ready() {
      // Which one does not answer is what an operator needs from a failed readiness check.
      const check = (name: string, answers: Promise<unknown> | undefined) =>
        answers?.catch((cause: unknown) => {
          throw new Error(`${name} does not answer`, { cause });
        });
      await Promise.all([check("the database", db.ping()), check("Redis", redis?.ready())]);
    },
    async close() {
      await imageSweep.stop();
      await reconciler.stop();
      await Promise.all([purge.stop(), liveStreams.close()]);
      await redis?.quit();
    },
  };
  // Checkouts and refunds a crash left unsettled: settled at start and every CHECKOUT_RECONCILE_INTERVAL_SECONDS.
  const reconciler = startReconciler(services);
  return services;
}

export type { AccessClaims, TokenService } from "./tokens.ts";
export { type DomainMetrics, noMetrics } from "./metrics.ts";
export type { AttemptCounter, CounterFactory } from "./attempt-counters.ts";
export type { LoginThrottle } from "./login-throttle.ts";
export type { PasswordHasher } from "./passwords.ts";
export { createInProcessEventBus, type EventBus } from "./event-bus.ts";
export { createImageStorage } from "./image-drivers.ts";
export { createLocalImageStorage, type ImageStorage, ImageStorageUnavailable, type StoredPage } from "./image-storage.ts";
export { createS3ImageStorage } from "./s3-image-storage.ts";
export { createImageSweep, type ImageSweep, type SweepReport } from "./image-sweep.ts";
export { createRedisConnections, type RedisConnections, type ServiceLogger } from "./redis.ts";
export { createRedisEventBus } from "./redis-event-bus.ts";
export { redisLimiters } from "./redis-limiters.ts";
export type { PaymentProvider } from "./payments/provider.ts";
export { createPaymentSimulator, type PaymentSimulator } from "./payments/simulator.ts";
export { signWebhook, SIGNATURE_HEADER } from "./payments/webhook-signature.ts";
