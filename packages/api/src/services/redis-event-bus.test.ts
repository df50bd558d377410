/** Events over Redis pub/sub: across processes, per topic and owner, and released in Redis as well as locally. */
import { afterEach, describe, expect, it } from "vitest";
import { closeAll, closedPort, connections, eventBusBehaviour, eventually, randomPrefix, rawClient, sample, type SampleEvent, silentLogger } from "../testing/index.ts";
import { createRedisEventBus } from "./redis-event-bus.ts";

afterEach(() => closeAll());

/** The bus as one server process builds it: a command and a subscriber connection of its own. */
const processBus = (prefix: string, topic = "task", options: { maxQueued?: number } = {}) =>
  createRedisEventBus<SampleEvent>(connections(prefix), topic, silentLogger, options);

/** Subscribers Redis knows for the channel (from every process). */
async function redisSubscribers(channel: string): Promise<number> {
  const raw = rawClient();
  try {
    const [, count] = (await raw.pubsub("NUMSUB", channel)) as [string, number];
    return Number(count);
  } finally {
    raw.disconnect();
  }
}

describe("Redis EventBus", () => {
  // One process publishes, another (with connections of its own) subscribes: the events cross Redis.
  eventBusBehaviour((options) => {
    const prefix = randomPrefix();
    // One SUBSCRIBE per owner and process, however many local subscriptions.
    const live = (owner: string) => eventually(async () => (await redisSubscribers(`${prefix}task-events:${owner}`)) === 1);
    return { publisher: processBus(prefix), subscriber: processBus(prefix, "task", options), live };
  });

  it("unsubscribes the channel in Redis when the last local subscription ends", async () => {
    const prefix = randomPrefix();
    const bus = processBus(prefix);
    const channel = `${prefix}task-events:alice`;
    const [first, second] = [new AbortController(), new AbortController()];
    const waiting = [first, second].map((c) => bus.subscribe("alice", c.signal)[Symbol.asyncIterator]().next());
    expect(bus.subscriberCount()).toBe(2);
    await eventually(async () => (await redisSubscribers(channel)) === 1);

    first.abort();
    expect(await waiting[0]).toEqual({ done: true, value: undefined });
    expect(bus.subscriberCount()).toBe(1);
    expect(await redisSubscribers(channel)).toBe(1); // the other tab still listens

    second.abort();
    expect(await waiting[1]).toEqual({ done: true, value: undefined });
    expect(bus.subscriberCount()).toBe(0);
    await eventually(async () => (await redisSubscribers(channel)) === 0);
  });

  it("keeps prefixes apart: the same owner under another prefix hears nothing", async () => {
    const prefix = randomPrefix();
    const [mine, theirs] = [processBus(prefix), processBus(randomPrefix())];
    const controller = new AbortController();
    const first = mine.subscribe("alice", controller.signal)[Symbol.asyncIterator]().next();
    await eventually(async () => (await redisSubscribers(`${prefix}task-events:alice`)) === 1);
    await theirs.publish("alice", sample());
    const own = sample();
    await mine.publish("alice", own);
    // Redis delivers in publication order, so the other prefix's event would have come first.
    expect((await first).value).toEqual(own);
    controller.abort();
  });

  it("keeps topics apart on one process's shared connections: an order subscriber hears no task event", async () => {
    const prefix = randomPrefix();
    const redis = connections(prefix);
    const [tasks, orders] = [createRedisEventBus<SampleEvent>(redis, "task", silentLogger), createRedisEventBus<SampleEvent>(redis, "order", silentLogger)];
    const controller = new AbortController();
    const first = orders.subscribe("alice", controller.signal)[Symbol.asyncIterator]().next();
    const taskWatcher = tasks.subscribe("alice", controller.signal)[Symbol.asyncIterator]().next();
    await eventually(async () => (await redisSubscribers(`${prefix}order-events:alice`)) === 1);
    await eventually(async () => (await redisSubscribers(`${prefix}task-events:alice`)) === 1);
    const taskEvent = sample();
    await tasks.publish("alice", taskEvent);
    const own = sample();
    await orders.publish("alice", own);
    expect((await first).value).toEqual(own);
    expect((await taskWatcher).value).toEqual(taskEvent);
    controller.abort();
  });

  it("ends at once for a signal that has already aborted, subscribing nothing", async () => {
    const prefix = randomPrefix();
    const bus = processBus(prefix);
    const received: SampleEvent[] = [];
    for await (const event of bus.subscribe("alice", AbortSignal.abort())) received.push(event);
    expect(received).toEqual([]);
    expect(bus.subscriberCount()).toBe(0);
    expect(await redisSubscribers(`${prefix}task-events:alice`)).toBe(0);
  });

  it("ends cleanly on abort while Redis cannot be reached, and publishing then neither rejects nor hangs", async () => {
    const redis = connections(randomPrefix(), `redis://127.0.0.1:${await closedPort()}`, { connectTimeoutMs: 200, readyTimeoutMs: 500 });
    await expect(redis.ready()).rejects.toThrow();
    const bus = createRedisEventBus<SampleEvent>(redis, "task", silentLogger);
    const controller = new AbortController();
    const waiting = bus.subscribe("alice", controller.signal)[Symbol.asyncIterator]().next();
    expect(bus.subscriberCount()).toBe(1);
    const started = Date.now();
    await expect(bus.publish("alice", sample())).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5000);
    controller.abort();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(bus.subscriberCount()).toBe(0);
  });
});
