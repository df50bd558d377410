import type { Config } from "@tessera/config";
import type { Database } from "@tessera/db";
import { createImageStorage } from "./image-drivers.ts";
import { createImageSweep } from "./image-sweep.ts";
import { createLoginThrottle } from "./login-throttle.ts";
import { createPasswordHasher } from "./passwords.ts";
import { redisLimiters } from "./redis-limiters.ts";
import { createRegistrationThrottle } from "./registration-throttle.ts";
import { createInProcessEventBus, type EventBus } from "./event-bus.ts";
import { createLiveStreams, type SessionChange } from "./live-streams.ts";
import { createRedisEventBus } from "./redis-event-bus.ts";
import { consoleLogger, createRedisConnections, type RedisConnections } from "./redis.ts";
import { noMetrics } from "./metrics.ts";
import { createQuotas } from "./quotas.ts";
import { startSessionPurge } from "./session-purge.ts";
import { createSessionLookup } from "./session-lookup.ts";
import { createTokenService } from "./tokens.ts";
import { createPaymentSimulator } from "./payments/simulator.ts";
import { startReconciler } from "../router/checkout/reconcile.ts";
import type { OrderEvent } from "../router/orders/orders.schema.ts";
import type { TaskEvent } from "../router/tasks/tasks.schema.ts";

import type { ServiceOverrides, Services } from "./services.ts";

export type { OrderEvents, ServiceOverrides, Services, TaskEvents } from "./services.ts";

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
export { createRedisConnections, type RedisConnections } from "./redis.ts";
export { createRedisEventBus } from "./redis-event-bus.ts";
export { redisLimiters } from "./redis-limiters.ts";
export type { PaymentProvider } from "./payments/provider.ts";
export { createPaymentSimulator, type PaymentSimulator } from "./payments/simulator.ts";
export { signWebhook, SIGNATURE_HEADER } from "./payments/webhook-signature.ts";
