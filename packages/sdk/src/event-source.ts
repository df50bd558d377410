import type { httpSubscriptionLink } from "@trpc/client";
import { localError, type TesseraError } from "./errors.ts";

/** An `EventSource` class: the browser's, or e.g. the `eventsource` package's. */
export type EventSourceConstructor = NonNullable<Parameters<typeof httpSubscriptionLink>[0]["EventSource"]>;

const globalEventSource = () => (globalThis as { EventSource?: EventSourceConstructor }).EventSource;

let loading: Promise<EventSourceConstructor> | undefined;

/**
 * The `eventsource` package (a dependency of the SDK), loaded the first time a subscription needs it. A dynamic
 * import, so that browsers, which have their own EventSource, never load it.
 */
function loadPackage(): Promise<EventSourceConstructor> {
  loading ??= import("eventsource").then(
    (module) => module.EventSource as unknown as EventSourceConstructor,
    (cause: unknown) => {
      loading = undefined; // a later subscription may try again
      throw cannotLoad(cause);
    },
  );
  return loading;
}

const cannotLoad = (cause: unknown): TesseraError =>
  localError(
    "NETWORK_ERROR",
    "Subscriptions need an EventSource: this runtime has none, and the `eventsource` package could not be loaded " +
      `(${cause instanceof Error ? cause.message : String(cause)}). Install it, or pass an EventSource class to createTesseraClient.`,
  );

/**
 * Which EventSource subscriptions use: the one passed to createTesseraClient, else the runtime's own (browsers,
 * Deno, Bun, Node 22+ with the flag), else the `eventsource` package (Node 20).
 */
export function resolveEventSource(given: EventSourceConstructor | undefined): Promise<EventSourceConstructor> {
  const found = given ?? globalEventSource();
  return found ? Promise.resolve(found) : loadPackage();
}

/**
 * What httpSubscriptionLink is given: a constructor that builds the EventSource resolved for this connection.
 * tRPC constructs it only after authLink has awaited `resolveEventSource` (see links.ts), so `current()` is set.
 */
export function deferredEventSource(current: () => EventSourceConstructor | undefined): EventSourceConstructor {
  function DeferredEventSource(url: string, init?: unknown) {
    const EventSource = current();
    if (!EventSource) throw localError("NETWORK_ERROR", "No EventSource was resolved for this subscription.");
    // A constructor that returns an object makes `new` return that object: tRPC gets the real EventSource.
    return new EventSource(url, init as never);
  }
  return DeferredEventSource as unknown as EventSourceConstructor;
}
