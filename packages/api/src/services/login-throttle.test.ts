/**
 * The login throttle on both counter stores: in this process, and in Redis (shared by processes with one prefix).
 * Attempts are counted before the password check, so attempts arriving together cannot all pass.
 */
import { afterEach, describe, expect, it } from "vitest";
import { addressGroup } from "./address-group.ts";
import { type CounterFactory, memoryCounters } from "./attempt-counters.ts";
import { createLoginThrottle, type LoginAttempt, type LoginThrottle } from "./login-throttle.ts";
import { redisLimiters } from "./redis-limiters.ts";
import { closeAll, connections, randomPrefix } from "../testing/index.ts";

afterEach(() => closeAll());

type Outcome = LoginAttempt | { retryAfter: number };
const allowed = (outcomes: Outcome[]) => outcomes.filter((o): o is LoginAttempt => !("retryAfter" in o));
const refused = (outcomes: Outcome[]) => outcomes.filter((o): o is { retryAfter: number } => "retryAfter" in o);

async function redisStore(prefix = randomPrefix()): Promise<CounterFactory> {
  const redis = connections(prefix);
  await redis.ready();
  return redisLimiters(redis.commands);
}

const stores: [string, () => Promise<CounterFactory>][] = [
  ["in memory", async () => memoryCounters()],
  ["in Redis", () => redisStore()],
];

describe.each(stores)("login throttle, counted %s", (_name, store) => {
  const throttle = async (limits: Partial<{ maxPerAccount: number; maxPerAddress: number }>): Promise<LoginThrottle> =>
    createLoginThrottle({ maxPerAccount: 100, maxPerAddress: 100, windowSeconds: 60, ...limits }, await store());

  it("lets exactly the limit through when 30 attempts on one account arrive at once, then refuses the next", async () => {
    const t = await throttle({ maxPerAccount: 10 });
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => t.begin("user:1", "192.0.2.1")));
    expect(allowed(outcomes)).toHaveLength(10);
    for (const r of refused(outcomes)) expect(r.retryAfter).toBeGreaterThanOrEqual(1), expect(r.retryAfter).toBeLessThanOrEqual(60);
    // The ten failed (nothing given back): the next attempt, whatever its password, is refused.
    expect(await t.begin("user:1", "192.0.2.7")).toHaveProperty("retryAfter");
    expect(allowed([await t.begin("user:2", "192.0.2.1")])).toHaveLength(1);
  });

  it("applies the per-address limit the same way, whatever accounts are tried", async () => {
    const t = await throttle({ maxPerAddress: 5 });
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => t.begin(`name:ghost${i}`, "198.51.100.4")));
    expect(allowed(outcomes)).toHaveLength(5);
    expect(await t.begin("name:someone-else", "198.51.100.4")).toHaveProperty("retryAfter");
    expect(allowed([await t.begin("name:someone-else", "198.51.100.5")])).toHaveLength(1);
  });

  it("counts only failures: a success gives its place back, a refused attempt takes none", async () => {
    const t = await throttle({ maxPerAccount: 2 });
    const first = await t.begin("user:1", "192.0.2.1");
    await (first as LoginAttempt).giveBack(); // succeeded
    expect(allowed([await t.begin("user:1", "192.0.2.1")])).toHaveLength(1); // failed: 1
    const inFlight = (await t.begin("user:1", "192.0.2.1")) as LoginAttempt; // 2, pending
    // While it is pending the account is at its limit: these are refused, and do not count.
    for (let i = 0; i < 5; i++) expect(await t.begin("user:1", "192.0.2.1")).toHaveProperty("retryAfter");
    await inFlight.giveBack(); // it succeeded after all
    expect(allowed([await t.begin("user:1", "192.0.2.1")])).toHaveLength(1); // failed: 2
    expect(await t.begin("user:1", "192.0.2.1")).toHaveProperty("retryAfter");
  });

  it("counts an IPv6 client by its /64, and each text form of an address as one", async () => {
    const t = await throttle({ maxPerAddress: 3 });
    for (const address of ["2001:db8:1:2::1", "2001:DB8:1:2:ffff::9", "2001:0db8:0001:0002:0:0:0:1"]) {
      expect(allowed([await t.begin(`name:${address}`, address)])).toHaveLength(1);
    }
    expect(await t.begin("name:x", "2001:db8:1:2:abcd::1")).toHaveProperty("retryAfter");
    expect(allowed([await t.begin("name:x", "2001:db8:1:3::1")])).toHaveLength(1);
    // An IPv4-mapped IPv6 address is the IPv4 address.
    const v4 = await throttle({ maxPerAddress: 1 });
    expect(allowed([await v4.begin("name:a", "::ffff:203.0.113.5")])).toHaveLength(1);
    expect(await v4.begin("name:b", "203.0.113.5")).toHaveProperty("retryAfter");
  });
});

describe("login throttle in Redis, across processes", () => {
  it("shares the counts of processes with one prefix: 30 attempts spread over two processes let 10 through", async () => {
    const prefix = randomPrefix();
    const limits = { maxPerAccount: 10, maxPerAddress: 100, windowSeconds: 60 };
    const [one, two] = [createLoginThrottle(limits, await redisStore(prefix)), createLoginThrottle(limits, await redisStore(prefix))];
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? one : two).begin("user:1", "192.0.2.1")));
    expect(allowed(outcomes)).toHaveLength(10);
    const other = createLoginThrottle(limits, await redisStore());
    expect(allowed([await other.begin("user:1", "192.0.2.1")])).toHaveLength(1);
  });
});

describe("in-memory counters", () => {
  it("hold at most their bound of keys however many distinct names are tried", async () => {
    const t = createLoginThrottle({ maxPerAccount: 10, maxPerAddress: 1_000_000, windowSeconds: 60 }, memoryCounters(100));
    for (let i = 0; i < 1000; i++) await t.begin(`name:${"x".repeat(200)}${i}`, `10.0.${i >> 8}.${i & 255}`);
    expect(t.sizes()).toEqual({ accounts: 100, addresses: 100 });
  });
});

describe("addressGroup", () => {
  it.each([
    ["192.0.2.1", "192.0.2.1"],
    ["::ffff:192.0.2.1", "192.0.2.1"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["2001:DB8:0:0:1:2:3:4", "2001:db8:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["not-an-address", "unparsed"],
    ["", "unparsed"],
  ])("%s is counted as %s", (address, group) => {
    expect(addressGroup(address)).toBe(group);
  });
});
