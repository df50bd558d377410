/** The in-process event bus: per-owner delivery, order, and release of every listener. */
import { describe, expect, it } from "vitest";
import { eventBusBehaviour, sample, type SampleEvent } from "../testing/index.ts";
import { createInProcessEventBus } from "./event-bus.ts";

const createBus = (options: { maxQueued?: number } = {}) => createInProcessEventBus<SampleEvent>("samples", options);

describe("in-process EventBus", () => {
  eventBusBehaviour((options) => {
    const bus = createBus(options);
    return { publisher: bus, subscriber: bus, live: async () => {} };
  });

  it("delivers only what is published after subscribing", async () => {
    const bus = createBus();
    await bus.publish("alice", sample()); // nobody listens: dropped, not an error
    const controller = new AbortController();
    const events = bus.subscribe("alice", controller.signal)[Symbol.asyncIterator]();
    const first = events.next();
    const later = sample();
    await bus.publish("alice", later);
    expect((await first).value).toEqual(later);
    controller.abort();
  });

  it("releases the listener when the consumer stops iterating", async () => {
    const bus = createBus();
    const event = sample();
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

it("keeps topics apart: an owner's events of one topic never reach a subscriber of another", async () => {
  const [tasks, orders] = [createInProcessEventBus<SampleEvent>("tasks"), createInProcessEventBus<SampleEvent>("orders")];
  const controller = new AbortController();
  const first = orders.subscribe("alice", controller.signal)[Symbol.asyncIterator]().next();
  await tasks.publish("alice", sample());
  const own = sample();
  await orders.publish("alice", own);
  expect((await first).value).toEqual(own);
  controller.abort();
});
