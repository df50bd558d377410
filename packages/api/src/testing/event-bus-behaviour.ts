/** What every EventBus implementation must do, run by each implementation's own test file. */
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import type { EventBus } from "../services/event-bus.ts";
import { EventQueueOverflow } from "../services/event-queue.ts";
import { eventually, within } from "./waiting.ts";

/** Any JSON event will do: the buses never look inside one (the Redis bus logs its `type`). */
export interface SampleEvent {
  type: "sample";
  id: string;
}

export const sample = (): SampleEvent => ({ type: "sample", id: randomUUID() });

/** The next value, or a failure after `ms`: a missing event fails the test instead of hanging it. */
export const nextWithin = <T>(iterator: AsyncIterator<T>, ms = 2000): Promise<IteratorResult<T>> => within(iterator.next(), "an event", ms);

export interface BusPair {
  /** Where events are published (another process's bus, for a shared implementation). */
  publisher: EventBus<SampleEvent>;
  subscriber: EventBus<SampleEvent>;
  /** Resolves once the subscriber's subscriptions for `owner` receive what is published. */
  live(owner: string): Promise<void>;
}

/** Registers the shared cases inside the caller's `describe`. */
export function eventBusBehaviour(makePair: (options?: { maxQueued?: number }) => BusPair) {
  it("delivers an owner's events, in order, to each of that owner's subscribers and no one else", async () => {
    const { publisher, subscriber, live } = makePair();
    const controller = new AbortController();
    const [tab1, tab2, bob] = [
      subscriber.subscribe("alice", controller.signal),
      subscriber.subscribe("alice", controller.signal),
      subscriber.subscribe("bob", controller.signal),
    ].map((iterable) => iterable[Symbol.asyncIterator]());
    // An async generator starts (and subscribes) on its first next().
    const pending = [tab1!.next(), tab2!.next(), bob!.next()];
    expect(subscriber.subscriberCount()).toBe(3);
    await live("alice");
    await live("bob");

    const events = [sample(), sample(), sample()];
    for (const event of events) await publisher.publish("alice", event);
    const bobs = sample();
    await publisher.publish("bob", bobs);

    for (const [first, tab] of [[pending[0], tab1], [pending[1], tab2]] as const) {
      expect((await first!).value).toEqual(events[0]);
      expect((await nextWithin(tab!)).value).toEqual(events[1]);
      expect((await nextWithin(tab!)).value).toEqual(events[2]);
    }
    // Bob's first event is his own: none of Alice's were queued before it.
    expect((await pending[2]!).value).toEqual(bobs);

    controller.abort();
    for (const tab of [tab1, tab2, bob]) expect(await nextWithin(tab!)).toEqual({ done: true, value: undefined });
    expect(subscriber.subscriberCount()).toBe(0);
  });

  it("ends cleanly, without an error, when the signal aborts while waiting", async () => {
    const { subscriber } = makePair();
    const controller = new AbortController();
    const waiting = subscriber.subscribe("alice", controller.signal)[Symbol.asyncIterator]().next();
    expect(subscriber.subscriberCount()).toBe(1);
    controller.abort();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(subscriber.subscriberCount()).toBe(0);
  });

  it("ends at once for a signal that has already aborted", async () => {
    const { subscriber } = makePair();
    const received: SampleEvent[] = [];
    for await (const event of subscriber.subscribe("alice", AbortSignal.abort())) received.push(event);
    expect(received).toEqual([]);
    expect(subscriber.subscriberCount()).toBe(0);
  });

  it("keeps at most its bound of unread events: a reader further behind is dropped, told at once, and its next read throws", async () => {
    const { publisher, subscriber, live } = makePair({ maxQueued: 5 });
    const controller = new AbortController();
    let overflowed = 0;
    const slow = subscriber.subscribe("alice", controller.signal, { onOverflow: () => overflowed++ })[Symbol.asyncIterator]();
    const reader = subscriber.subscribe("alice", controller.signal)[Symbol.asyncIterator]();
    const first = slow.next();
    const pending = reader.next();
    await live("alice");
    const events = Array.from({ length: 7 }, sample);
    await publisher.publish("alice", events[0]!);
    expect((await first).value).toEqual(events[0]);
    expect((await pending).value).toEqual(events[0]);
    // Neither reads now: 5 wait for each, then the 6th is one too many for both.
    for (const event of events.slice(1, 6)) await publisher.publish("alice", event);
    await eventually(() => subscriber.queued() === 10, 5000); // events from another process arrive a moment later
    expect(overflowed).toBe(0);
    expect((await nextWithin(reader)).value).toEqual(events[1]); // the reader catches up by one
    await publisher.publish("alice", events[6]!);
    await eventually(() => overflowed === 1, 5000);
    expect(subscriber.queued()).toBe(5); // the slow one's were freed; the reader's 5 wait
    await expect(slow.next()).rejects.toBeInstanceOf(EventQueueOverflow);
    for (const event of events.slice(2, 7)) expect((await nextWithin(reader)).value).toEqual(event);
    expect(subscriber.queued()).toBe(0);
    controller.abort();
    expect(await nextWithin(reader)).toEqual({ done: true, value: undefined });
    expect(await slow.next()).toEqual({ done: true, value: undefined });
  });
}
