import { describe, expect, it } from "vitest";
import { createLoginThrottle } from "./login-throttle.ts";

describe("login throttle", () => {
  it("blocks an account after its failure limit, and only that account", async () => {
    const throttle = createLoginThrottle({ maxPerAccount: 2, maxPerAddress: 100, windowSeconds: 60 });
    await throttle.recordFailure("acct", "10.0.0.1");
    expect(await throttle.blockedFor("acct", "10.0.0.1")).toBe(0);
    await throttle.recordFailure("acct", "10.0.0.2");
    const wait = await throttle.blockedFor("acct", "10.0.0.3");
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await throttle.blockedFor("other", "10.0.0.3")).toBe(0);
  });

  it("blocks an address after its failure limit, whatever account it tries", async () => {
    const throttle = createLoginThrottle({ maxPerAccount: 100, maxPerAddress: 3, windowSeconds: 60 });
    for (const acct of ["a", "b", "c"]) await throttle.recordFailure(acct, "10.0.0.9");
    expect(await throttle.blockedFor("d", "10.0.0.9")).toBeGreaterThan(0);
    expect(await throttle.blockedFor("d", "10.0.0.8")).toBe(0);
  });

  it("forgets an account's failures after a success", async () => {
    const throttle = createLoginThrottle({ maxPerAccount: 2, maxPerAddress: 100, windowSeconds: 60 });
    await throttle.recordFailure("acct", "10.0.0.1");
    await throttle.recordSuccess("acct");
    await throttle.recordFailure("acct", "10.0.0.1");
    expect(await throttle.blockedFor("acct", "10.0.0.1")).toBe(0);
  });
});
