import { LRUCache } from "lru-cache";

/** One counted attempt: how many its window holds now (this one included), and the way to take it back. */
export interface Taken {
  count: number;
  /** Milliseconds until the window this attempt was counted in ends (and its count starts again from zero). */
  msBeforeReset: number;
  /** Takes this attempt back out of the count; nothing once its window has ended (the next one owes it nothing). */
  giveBack(): Promise<void>;
}

/**
 * Attempts per key in fixed windows. `take` counts first and answers after, in one atomic step, so attempts that
 * arrive together each see the ones before them: checking a count and adding to it later would let every
 * concurrent attempt see the same old count.
 */
export interface AttemptCounter {
  take(key: string): Promise<Taken>;
  /** Keys this process holds in memory (at most MAX_KEYS): for tests and metrics. */
  size(): number;
}

/** Makes a counter: in this process by default (memoryCounters), in Redis when processes share the counts. */
export type CounterFactory = (options: { keyPrefix: string; windowSeconds: number }) => AttemptCounter;

/**
 * How many keys one in-memory counter keeps. Past that, the least recently used key is forgotten (its count
 * starts again from zero): a flood of distinct names or addresses cannot grow the process's memory, at the price
 * that an attacker who makes this many distinct attempts inside one window (which the per-address limit makes
 * cost at least MAX_KEYS / LOGIN_MAX_FAILURES_PER_ADDRESS address groups) can wear one key's count away.
 * Refusing new keys instead would lock every newcomer out. Keys are short (login names are at most 254 characters),
 * so a full counter stays under ~20 MB.
 */
export const MAX_KEYS = 50_000;

/**
 * Counters kept in this process, bounded (rate-limiter-flexible's RateLimiterMemory keeps every key with a timer
 * and has no bound, hence this small fixed-window counter over lru-cache).
 */
export function memoryCounters(maxKeys = MAX_KEYS): CounterFactory {
  return ({ windowSeconds }) => {
    const windows = new LRUCache<string, { count: number; endsAt: number }>({ max: maxKeys });
    return {
      size: () => windows.size,
      async take(key) {
        const now = Date.now();
        let window = windows.get(key);
        if (!window || window.endsAt <= now) {
          window = { count: 0, endsAt: now + windowSeconds * 1000 };
          windows.set(key, window);
        }
        window.count += 1;
        const counted = window;
        return {
          count: counted.count,
          msBeforeReset: counted.endsAt - now,
          async giveBack() {
            // Only to the very window it was counted in: a window that ended (or was evicted) owes nothing back.
            if (windows.peek(key) === counted && counted.endsAt > Date.now() && counted.count > 0) counted.count -= 1;
          },
        };
      },
    };
  };
}
