import { EventEmitter, on } from "node:events";

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
   */
  subscribe(ownerId: string, signal?: AbortSignal): AsyncIterable<E>;
  /** Subscriptions open in this process: for metrics and for tests that nothing leaks. */
  subscriberCount(): number;
}

/** The in-process bus: enough for one server process (and for tests). */
export function createInProcessEventBus<E>(topic: string): EventBus<E> {
  // A prefix keeps an owner id from ever naming EventEmitter's special "error" event.
  const channel = (ownerId: string) => `${topic}:${ownerId}`;
  const emitter = new EventEmitter();
  // One listener per open subscription; many tabs of one user are legitimate, so no leak warning at 10.
  emitter.setMaxListeners(0);

  return {
    async publish(ownerId, event) {
      emitter.emit(channel(ownerId), event);
    },

    async *subscribe(ownerId, signal) {
      try {
        // `on` buffers events between reads, so a slow reader misses nothing, and removes its listeners
        // when the signal aborts or the loop is left.
        for await (const [event] of on(emitter, channel(ownerId), { signal })) yield event as E;
      } catch (error) {
        if (!signal?.aborted) throw error;
      }
    },

    subscriberCount() {
      // `on` also listens for "error" on the emitter; count the owner channels: one listener per subscription.
      return emitter.eventNames().reduce<number>((sum, name) => sum + (name === "error" ? 0 : emitter.listenerCount(name)), 0);
    },
  };
}
