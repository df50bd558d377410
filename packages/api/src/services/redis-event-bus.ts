import { EventEmitter } from "node:events";
import { DEFAULT_MAX_QUEUED, type EventBus } from "./event-bus.ts";
import { listen } from "./event-queue.ts";
import { consoleLogger, type RedisConnections, type ServiceLogger } from "./redis.ts";

/**
 * An EventBus across processes: one Redis channel per topic and owner, `<keyPrefix><topic>-events:<ownerId>`
 * (`task-events:…`, `order-events:…`), so Redis only
 * sends a process the owners it has subscribers for. Each process subscribes to an owner's channel while it
 * has at least one local subscription for that owner (one SUBSCRIBE however many tabs), and fans the messages
 * out locally through an EventEmitter, exactly as the in-process bus does.
 */
export function createRedisEventBus<E extends { type: string }>(
  redis: RedisConnections,
  topic: string,
  logger: ServiceLogger = consoleLogger,
  options: { maxQueued?: number } = {},
): EventBus<E> {
  const max = options.maxQueued ?? DEFAULT_MAX_QUEUED;
  let queued = 0;
  const onQueued = (delta: number) => void (queued += delta);
  // ioredis does not prefix channels (only keys), so the prefix is added here. Every bus of a process shares the
  // subscriber connection; no topic's channel prefix is the start of another's, so each takes only its own.
  const channelPrefix = `${redis.keyPrefix}${topic}-events:`;
  const channelOf = (ownerId: string) => `${channelPrefix}${ownerId}`;
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  /** Local subscriptions per owner, and the SUBSCRIBE that made the channel live. */
  const owners = new Map<string, { count: number; subscribed: Promise<unknown> }>();
  let total = 0;

  redis.subscriber.on("message", (channel: string, message: string) => {
    if (!channel.startsWith(channelPrefix)) return;
    let event: E;
    try {
      event = JSON.parse(message) as E;
    } catch (error) {
      logger.warn({ err: error, channel }, `unreadable ${topic} event ignored`);
      return;
    }
    // Emitter event names are the channel names: never "error", which EventEmitter treats specially.
    emitter.emit(channel, event);
  });

  // (UN)SUBSCRIBE commands go out on one connection in the order issued, so the channel's final state in Redis
  // always matches the last local transition, however quickly subscriptions come and go.
  const retain = (ownerId: string) => {
    total += 1;
    const entry = owners.get(ownerId);
    if (entry) {
      entry.count += 1;
      return entry.subscribed;
    }
    const subscribed = redis.subscriber.subscribe(channelOf(ownerId));
    // Whoever awaits it sees the failure; this keeps a failure nobody awaits from being unhandled.
    subscribed.catch(() => undefined);
    owners.set(ownerId, { count: 1, subscribed });
    return subscribed;
  };
  const release = (ownerId: string) => {
    total -= 1;
    const entry = owners.get(ownerId)!;
    entry.count -= 1;
    if (entry.count > 0) return;
    owners.delete(ownerId);
    redis.subscriber.unsubscribe(channelOf(ownerId)).catch((error: unknown) => {
      // Only when the connection has been closed (shutdown), which ended its subscriptions anyway.
      logger.warn({ err: error, ownerId }, "Redis UNSUBSCRIBE failed");
    });
  };

  return {
    async publish(ownerId, event) {
      try {
        await redis.commands.publish(channelOf(ownerId), JSON.stringify(event));
      } catch (error) {
        // The write is committed; its live notification is lost. Subscribers refetch when they reconnect.
        logger.error({ err: error, ownerId, type: event.type }, `${topic} event not published to Redis`);
      }
    },

    async *subscribe(ownerId, signal, subscribeOptions = {}) {
      if (signal?.aborted) return;
      // Listening locally first: nothing delivered once the channel is live can be missed. At most `max` events
      // wait for a slow reader (see event-queue.ts).
      const events = listen<E>(emitter, channelOf(ownerId), { signal, max, onQueued, onOverflow: subscribeOptions.onOverflow });
      const subscribed = retain(ownerId);
      try {
        // Until Redis confirms, events from other processes cannot arrive; a SUBSCRIBE that fails ends the
        // subscription with the error (the client reconnects) instead of leaving it silently deaf.
        await untilAborted(subscribed, signal);
        yield* events;
      } catch (error) {
        if (!signal?.aborted) throw error;
      } finally {
        await events.return?.();
        release(ownerId);
      }
    },

    subscriberCount: () => total,
    queued: () => queued,
  };
}

/** Waits for `promise`, or only until `signal` aborts. */
async function untilAborted(promise: Promise<unknown>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return void (await promise);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = () => resolve();
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort!);
  }
}
