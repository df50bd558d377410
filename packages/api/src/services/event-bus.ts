import { EventEmitter } from "node:events";
import { listen } from "./event-queue.ts";

/** Events kept per subscription while its reader is busy, unless the bus is told otherwise (LIVE_STREAM_QUEUE). */
export const DEFAULT_MAX_QUEUED = 100;

export interface SubscribeOptions {
  /**
   * Told at once when the subscription fell more than the bus's queue bound behind and was dropped (its next read
   * throws EventQueueOverflow): its reader may never read again to find out.
   */
  onOverflow?: () => void;
}

/**
 * Live events per owner (a user id), for one kind of event (a topic: task events, order events). The seam
 * between the handlers that publish and whatever carries the events: this process only (below), or Redis
 * pub/sub once several server processes share the work (redis-event-bus.ts). Callers depend on this interface
 * alone, and events are plain JSON so that any transport can carry them.
 */
export interface EventBus<E> {
  /**
   * Tells the owner's subscribers, in every process, about a write that has already happened.
   * Never rejects: the write stands whatever becomes of its notification, so an implementation that can
   * fail (a network hop) reports the failure itself rather than turning a committed write into an error.
   */
  publish(ownerId: string, event: E): Promise<void>;
  /**
   * The owner's events from now on, in publication order. The iterable ends (without an error) when
   * `signal` aborts; stopping iteration also releases it. Pass a signal: an iteration waiting for the next
   * event cannot be stopped by `return()` alone (async generators queue it behind the pending `next()`).
   * At most the bus's bound of events wait unread; a subscription that falls further behind is dropped and its
   * next read throws EventQueueOverflow.
   */
  subscribe(ownerId: string, signal?: AbortSignal, options?: SubscribeOptions): AsyncIterable<E>;
  /** Subscriptions open in this process: for metrics and for tests that nothing leaks. */
  subscriberCount(): number;
  /** Events waiting to be read by this process's subscriptions, all together: for metrics and tests of the bound. */
  queued(): number;
}

/** The in-process bus: enough for one server process (and for tests). */
export function createInProcessEventBus<E>(topic: string, options: { maxQueued?: number } = {}): EventBus<E> {
  const max = options.maxQueued ?? DEFAULT_MAX_QUEUED;
  let queued = 0;
  const onQueued = (delta: number) => void (queued += delta);
  // A prefix keeps an owner id from ever naming EventEmitter's special "error" event.
  const channel = (ownerId: string) => `${topic}:${ownerId}`;
  const emitter = new EventEmitter();
  // One listener per open subscription; many tabs of one user are legitimate, so no leak warning at 10.
  emitter.setMaxListeners(0);

  return {
    async publish(ownerId, event) {
      emitter.emit(channel(ownerId), event);
    },

    async *subscribe(ownerId, signal, subscribeOptions = {}) {
      // `listen` keeps events between reads (up to the bound), so a slow reader misses nothing, and removes its
      // listener when the signal aborts, the loop is left, or the reader fell too far behind.
      yield* listen<E>(emitter, channel(ownerId), { signal, max, onQueued, onOverflow: subscribeOptions.onOverflow });
    },

    subscriberCount() {
      // One listener per subscription, on its owner's channel.
      return emitter.eventNames().reduce<number>((sum, name) => sum + emitter.listenerCount(name), 0);
    },

    queued: () => queued,
  };
}
