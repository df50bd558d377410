/**
 * Live streams through createCaller (one process; with REDIS_URL the notices go through Redis): their limits, and
 * their end when their session no longer stands (issue 16, items 5 and 6).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AppError } from "../envelope.ts";
import { createCaller } from "../root.ts";
import { account, type Caller, createTestServices, eventually, type TestEnv } from "../testing/index.ts";
import { createContext, type RequestInfo } from "../trpc.ts";

const PER_USER = 500;
const PER_CONNECTION = 4;
let env: TestEnv;
let admin: Caller;
beforeAll(async () => {
  env = await createTestServices({ LIVE_STREAMS_PER_USER: String(PER_USER), LIVE_STREAMS_PER_CONNECTION: String(PER_CONNECTION) });
  ({ caller: admin } = await account(env, { role: "admin" }));
});
afterAll(() => env.cleanup());

const open: AbortController[] = [];
afterEach(async () => {
  for (const controller of open.splice(0)) controller.abort();
  await streamsOpen(0, "every stream released");
});

/** Waits until `count` streams are open (each recheck of a session is a database query, then a stream ends). */
const streamsOpen = (count: number, what: string) => eventually(() => env.services.liveStreams.open() === count, 5000, what);

/**
 * Opens tasks.onChange (or orders.onChange) as the HTTP adapter would, and follows how it ends: `ended` resolves with
 * the error it ended with (or null when it just completed).
 */
async function stream(accessToken: string, options: { procedure?: "tasks" | "orders"; connection?: RequestInfo["connection"] } = {}) {
  const controller = new AbortController();
  open.push(controller);
  const request = { requestId: "t", clientAddress: "127.0.0.1", authorization: `Bearer ${accessToken}`, connection: options.connection };
  const caller = createCaller(createContext(env.services, request), { signal: controller.signal });
  const iterable = await (options.procedure === "orders" ? caller.orders.onChange() : caller.tasks.onChange());
  const events = iterable[Symbol.asyncIterator]();
  let endedWith: AppError | null | undefined;
  const ended = (async () => {
    try {
      while (!(await events.next()).done);
      return (endedWith = null);
    } catch (error) {
      return (endedWith = error as AppError);
    }
  })();
  return { ended, isOpen: () => endedWith === undefined, stop: () => controller.abort() };
}

describe("a stream ends when its session no longer stands", () => {
  it("ends at logout, with INVALID_TOKEN; the user's other session keeps its stream", async () => {
    const user = await account(env);
    const [a, b] = [await user.login(), await user.login()];
    const [streamA, streamB, ordersA] = [await stream(a.access_token), await stream(b.access_token), await stream(a.access_token, { procedure: "orders" })];
    await streamsOpen(3, "three streams open");
    await env.caller({ authorization: `Bearer ${a.access_token}` }).auth.logout();
    expect(await streamA.ended).toMatchObject({ appCode: "INVALID_TOKEN" });
    expect(await ordersA.ended).toMatchObject({ appCode: "INVALID_TOKEN" });
    expect(streamB.isOpen()).toBe(true);
  });

  it("ends when a used refresh token comes back (the session is revoked)", async () => {
    const user = await account(env);
    const first = await user.login();
    const rotated = (await env.caller().auth.refresh({ refresh_token: first.refresh_token })).data;
    const live = await stream(rotated.access_token);
    await env.caller().auth.refresh({ refresh_token: first.refresh_token }).catch(() => undefined);
    expect(await live.ended).toMatchObject({ appCode: "INVALID_TOKEN" });
  });

  it.each([
    ["deactivation", (id: string) => admin.admin.users.update({ user_id: id, is_active: false })],
    ["a role change", (id: string) => admin.admin.users.update({ user_id: id, role: "seller" })],
    ["deletion", (id: string) => admin.admin.users.delete({ user_id: id })],
  ])("ends at %s by an admin, for every session of the user", async (_what, act) => {
    const user = await account(env);
    const streams = [await stream((await user.login()).access_token), await stream((await user.login()).access_token, { procedure: "orders" })];
    const bystander = await stream((await (await account(env)).login()).access_token);
    await act(user.id);
    for (const live of streams) expect(await live.ended).toMatchObject({ appCode: "INVALID_TOKEN" });
    expect(bystander.isOpen()).toBe(true);
  });
});

describe("stream limits", () => {
  it(`refuses the ${PER_USER + 1}st stream of one user with RATE_LIMITED, and takes one again once another closed`, async () => {
    const { access_token } = await (await account(env)).login();
    const streams = [];
    for (let i = 0; i < PER_USER; i++) streams.push(await stream(access_token, { procedure: i % 2 ? "orders" : "tasks" }));
    await streamsOpen(PER_USER, `${PER_USER} streams open`);
    const refused = await stream(access_token);
    expect(await refused.ended).toMatchObject({ appCode: "RATE_LIMITED" });
    expect(env.services.liveStreams.open()).toBe(PER_USER);
    // Another user is not affected.
    const other = await stream((await (await account(env)).login()).access_token);
    await streamsOpen(PER_USER + 1, "the other user's stream open");
    expect(other.isOpen()).toBe(true);
    streams[0]!.stop();
    await streamsOpen(PER_USER, "one closed");
    const again = await stream(access_token);
    await streamsOpen(PER_USER + 1, "a new one open");
    expect(again.isOpen()).toBe(true);
  });

  it(`refuses the ${PER_CONNECTION + 1}th stream on one connection`, async () => {
    const { access_token } = await (await account(env)).login();
    const connection = { destroy() {} };
    for (let i = 0; i < PER_CONNECTION; i++) await stream(access_token, { connection });
    await streamsOpen(PER_CONNECTION, "streams open");
    expect(await (await stream(access_token, { connection })).ended).toMatchObject({ appCode: "RATE_LIMITED" });
    const elsewhere = await stream(access_token, { connection: { destroy() {} } });
    await streamsOpen(PER_CONNECTION + 1, "a stream on another connection open");
    expect(elsewhere.isOpen()).toBe(true);
  });
});
