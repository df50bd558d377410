import type { EventEmitter } from "node:events";

/** What a subscription's next read throws once it fell further behind than its queue allows. */
export class EventQueueOverflow extends Error {
  override name = "EventQueueOverflow";
  constructor(readonly max: number) {
    super(`more than ${max} events were waiting to be read`);
  }
}

export interface ListenOptions {
  /** Ends the iteration (without an error) when it aborts. */
  signal?: AbortSignal;
  /** The most events kept while the reader is busy; one more drops them all and ends the subscription. */
  max: number;
  /** Told at once (not at the next read, which may never come) when the subscription overflows. */
  onOverflow?: () => void;
  /** Told how many events wait, each time that changes: a bus sums them up for its metrics and tests. */
  onQueued?: (delta: number) => void;
}

/**
 * The events `emitter` emits as `name`, as an async iterator, in order, keeping at most `max` that were not read
 * yet. A reader that falls further behind (its client stopped reading) is dropped: the waiting events are freed,
 * the listener removed, and its next read throws EventQueueOverflow. Node's `events.on` buffers without a bound
 * (its highWaterMark only pauses an emitter that can be paused), hence this small queue.
 */
export function listen<E>(emitter: EventEmitter, name: string, options: ListenOptions): AsyncIterableIterator<E> {
  const queue: E[] = [];
  let waiting: ((result: IteratorResult<E, undefined>) => void) | undefined;
  let failure: EventQueueOverflow | undefined;
  let ended = false;

  const clear = () => {
    if (queue.length > 0) options.onQueued?.(-queue.length);
    queue.length = 0;
  };
  const finish = () => {
    ended = true;
    clear();
    emitter.off(name, onEvent);
    options.signal?.removeEventListener("abort", onAbort);
    waiting?.({ value: undefined, done: true });
    waiting = undefined;
  };
  const onAbort = () => finish();
  function onEvent(event: E) {
    if (waiting) {
      const wake = waiting;
      waiting = undefined;
      wake({ value: event, done: false });
    } else if (queue.length < options.max) {
      queue.push(event);
      options.onQueued?.(1);
    } else {
      failure = new EventQueueOverflow(options.max);
      finish();
      options.onOverflow?.();
    }
  }

  if (options.signal?.aborted) ended = true;
  else {
    emitter.on(name, onEvent);
    options.signal?.addEventListener("abort", onAbort, { once: true });
  }

  return {
    next() {
      if (queue.length > 0) {
        options.onQueued?.(-1);
        return Promise.resolve({ value: queue.shift()!, done: false });
      }
      if (failure) {
        const error = failure;
        failure = undefined;
        return Promise.reject(error);
      }
      if (ended) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return() {
      failure = undefined;
      if (!ended) finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
