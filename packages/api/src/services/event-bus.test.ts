/** The in-process task event bus: per-owner delivery, order, and release of every listener. */
import { describe, expect, it } from "vitest";
import { deleted, taskEventsBehaviour } from "./task-events.behaviour.ts";
import { createInProcessTaskEvents } from "./task-events.ts";

describe("in-process TaskEvents", () => {
  taskEventsBehaviour(() => {
    const bus = createInProcessTaskEvents();
    return { publisher: bus, subscriber: bus, live: async () => {} };
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
