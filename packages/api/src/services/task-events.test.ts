/** The in-process task event bus: per-owner delivery, order, and release of every listener. */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { TaskEvent } from "../router/tasks/tasks.schema.ts";
import { createInProcessTaskEvents } from "./task-events.ts";

const deleted = (): TaskEvent => ({ type: "deleted", id: randomUUID() });

/** The next value, or a failure after `ms`: a missing event fails the test instead of hanging it. */
async function nextWithin<T>(iterator: AsyncIterator<T>, ms = 2000): Promise<IteratorResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no event within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([iterator.next(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe("in-process TaskEvents", () => {
  it("delivers an owner's events, in order, to each of that owner's subscribers and no one else", async () => {
    const bus = createInProcessTaskEvents();
    const controller = new AbortController();
    const [tab1, tab2, other] = [
      bus.subscribe("alice", controller.signal),
      bus.subscribe("alice", controller.signal),
      bus.subscribe("bob", controller.signal),
    ].map((iterable) => iterable[Symbol.asyncIterator]());
    // An async generator starts (and subscribes) on its first next().
    const pending = [tab1!.next(), tab2!.next(), other!.next()];
    expect(bus.subscriberCount()).toBe(3);

    const events = [deleted(), deleted(), deleted()];
    for (const event of events) await bus.publish("alice", event);
    const bobs = deleted();
    await bus.publish("bob", bobs);

    for (const [first, tab] of [[pending[0], tab1], [pending[1], tab2]] as const) {
      expect((await first!).value).toEqual(events[0]);
      expect((await nextWithin(tab!)).value).toEqual(events[1]);
      expect((await nextWithin(tab!)).value).toEqual(events[2]);
    }
    // Bob's first event is his own: none of Alice's were queued before it.
    expect((await pending[2]!).value).toEqual(bobs);

    controller.abort();
    for (const tab of [tab1, tab2, other]) expect(await nextWithin(tab!)).toEqual({ done: true, value: undefined });
    expect(bus.subscriberCount()).toBe(0);
  });

  it("delivers only what is published after subscribing", async () => {
    const bus = createInProcessTaskEvents();
    await bus.publish("alice", deleted()); // nobody listens: dropped, not an error
    const controller = new AbortController();
    const events = bus.subscribe("alice", controller.signal)[Symbol.asyncIterator]();
    const first = events.next();
    const later = deleted();
    await bus.publish("alice", later);
    expect((await first).value).toEqual(later);
    controller.abort();
  });

  it("ends cleanly, without an error, when the signal aborts while waiting", async () => {
    const bus = createInProcessTaskEvents();
    const controller = new AbortController();
    const waiting = bus.subscribe("alice", controller.signal)[Symbol.asyncIterator]().next();
    expect(bus.subscriberCount()).toBe(1);
    controller.abort();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(bus.subscriberCount()).toBe(0);
  });

  it("ends at once for a signal that has already aborted", async () => {
    const bus = createInProcessTaskEvents();
    const received: TaskEvent[] = [];
    for await (const event of bus.subscribe("alice", AbortSignal.abort())) received.push(event);
    expect(received).toEqual([]);
    expect(bus.subscriberCount()).toBe(0);
  });

  it("releases the listener when the consumer stops iterating", async () => {
    const bus = createInProcessTaskEvents();
    const event = deleted();
    const reading = (async () => {
      for await (const received of bus.subscribe("alice")) return received;
    })();
    // The loop's first next() ran synchronously and subscribed.
    expect(bus.subscriberCount()).toBe(1);
    await bus.publish("alice", event);
    expect(await reading).toEqual(event);
    expect(bus.subscriberCount()).toBe(0);
  });
});
