/** tasks.onChange through createCaller: which writes publish what, to whom, and release on abort. */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../../root.ts";
import { account, appCodeOf, type Caller, createTestServices, type TestEnv, within } from "../../testing/index.ts";
import { createContext } from "../../trpc.ts";
import type { TaskEvent } from "./tasks.schema.ts";

let env: TestEnv;
beforeAll(async () => {
  env = await createTestServices();
});
afterAll(() => env.cleanup());

interface User {
  caller: Caller;
  /** Subscribes to tasks.onChange; the subscription ends when `stop` runs (or the test ends). */
  subscribe(): Promise<{ next(ms?: number): Promise<TaskEvent>; stop(): void }>;
}

const open: AbortController[] = [];
afterEach(() => {
  for (const controller of open.splice(0)) controller.abort();
});

/** A new account; its subscriptions get a signal of their own, as tRPC's HTTP adapter gives each one. */
async function newUser(): Promise<User> {
  const { caller, authorization } = await account(env);
  const request = { transport: "trpc", requestId: "test", clientAddress: "127.0.0.1", authorization } as const;
  return {
    caller,
    async subscribe() {
      const controller = new AbortController();
      open.push(controller);
      const iterable = await createCaller(createContext(env.services, request), { signal: controller.signal }).tasks.onChange();
      const events = iterable[Symbol.asyncIterator]();
      // Start the generator now, so that it is listening before the test writes anything.
      let pending = events.next();
      return {
        async next(ms = 2000) {
          const result = await within(pending, "an event", ms);
          pending = events.next();
          if (result.done) throw new Error("the subscription ended");
          return result.value;
        },
        stop: () => controller.abort(),
      };
    },
  };
}

describe("tasks.onChange", () => {
  it("requires a token", async () => {
    expect(await appCodeOf(env.caller().tasks.onChange())).toBe("INVALID_TOKEN");
    expect(await appCodeOf(env.caller({ authorization: "Bearer nope" }).tasks.onChange())).toBe("INVALID_TOKEN");
  });

  it("pushes created, updated (update and patch) and deleted, with the task as the routes answer it", async () => {
    const alice = await newUser();
    const live = await alice.subscribe();
    const created = (await alice.caller.tasks.create({ title: "Live", due_date: "2030-01-01T10:00:00+02:00" })).data;
    expect(await live.next()).toEqual({ type: "created", task: created });
    const updated = (await alice.caller.tasks.update({ id: created.id, title: "Renamed" })).data;
    expect(await live.next()).toEqual({ type: "updated", task: updated });
    const patched = (await alice.caller.tasks.patch({ id: created.id, status: "done", due_date: null })).data;
    expect(await live.next()).toEqual({ type: "updated", task: patched });
    await alice.caller.tasks.delete({ id: created.id });
    expect(await live.next()).toEqual({ type: "deleted", id: created.id });
  });

  it("publishes nothing for writes that did not happen", async () => {
    const [alice, bob] = [await newUser(), await newUser()];
    const task = (await alice.caller.tasks.create({ title: "Quiet" })).data;
    const live = await alice.subscribe();
    await alice.caller.tasks.patch({ id: task.id }); // no change
    await appCodeOf(alice.caller.tasks.update({ id: task.id, title: " " })); // invalid
    await appCodeOf(alice.caller.tasks.delete({ id: randomUUID() })); // unknown
    await appCodeOf(bob.caller.tasks.update({ id: task.id, title: "pwned" })); // not Bob's
    await appCodeOf(bob.caller.tasks.delete({ id: task.id }));
    // The first event to arrive is the one real write after all of those.
    await alice.caller.tasks.delete({ id: task.id });
    expect(await live.next()).toEqual({ type: "deleted", id: task.id });
  });

  it("gives each user only their own tasks' events, to every one of their subscriptions", async () => {
    const [alice, bob] = [await newUser(), await newUser()];
    const [aliceTab1, aliceTab2, bobLive] = [await alice.subscribe(), await alice.subscribe(), await bob.subscribe()];
    const a = (await alice.caller.tasks.create({ title: "Alice's" })).data;
    await alice.caller.tasks.delete({ id: a.id });
    for (const tab of [aliceTab1, aliceTab2]) {
      expect(await tab.next()).toEqual({ type: "created", task: a });
      expect(await tab.next()).toEqual({ type: "deleted", id: a.id });
    }
    // Alice's events have been delivered; Bob's first event is his own, so none of hers reached him.
    const b = (await bob.caller.tasks.create({ title: "Bob's" })).data;
    expect(await bobLive.next()).toEqual({ type: "created", task: b });
  });

  it("ends when its signal aborts and releases its listener", async () => {
    const alice = await newUser();
    const before = env.services.taskEvents.subscriberCount();
    const live = await alice.subscribe();
    expect(env.services.taskEvents.subscriberCount()).toBe(before + 1);
    const waiting = live.next();
    live.stop();
    await expect(waiting).rejects.toThrow("the subscription ended");
    expect(env.services.taskEvents.subscriberCount()).toBe(before);
  });
});
