/** Per-user quotas on keys and tasks through createCaller (QUOTA_KEYS_PER_USER=5, QUOTA_TASKS_PER_USER=4). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, createTestServices, rejection, signedInCaller, type TestEnv } from "../testing/index.ts";

let env: TestEnv;
beforeAll(async () => {
  env = await createTestServices({ QUOTA_KEYS_PER_USER: "5", QUOTA_TASKS_PER_USER: "4" });
});
afterAll(() => env.cleanup());

const settled = async (calls: Promise<unknown>[]) => {
  const results = await Promise.allSettled(calls);
  return {
    ok: results.filter((r) => r.status === "fulfilled").length,
    codes: results.flatMap((r) => (r.status === "rejected" ? [(r.reason as { appCode?: string }).appCode] : [])),
  };
};

describe("quotas", () => {
  it("lets exactly 5 of 20 concurrent key creates in, refuses the rest with QUOTA_EXCEEDED, and leaves others alone", async () => {
    const alice: Caller = await signedInCaller(env);
    const bob: Caller = await signedInCaller(env);
    const { ok, codes } = await settled(Array.from({ length: 20 }, (_, i) => alice.data.create({ key: `k${i}`, value: "v" })));
    expect(ok).toBe(5);
    expect(codes).toEqual(Array(15).fill("QUOTA_EXCEEDED"));
    expect((await alice.data.list({ limit: 100 })).data.items).toHaveLength(5);
    const error = await rejection(alice.data.create({ key: "one-more", value: "v" }));
    expect(error.message).toMatch(/limit of 5 keys/);
    // Bob has his own quota; deleting one of Alice's makes room for one more.
    await bob.data.create({ key: "k0", value: "v" });
    await alice.data.delete({ key: "k0" });
    await alice.data.create({ key: "one-more", value: "v" });
    expect((await rejection(alice.data.create({ key: "and-another", value: "v" }))).appCode).toBe("QUOTA_EXCEEDED");
  });

  it("checks the quota first: at the limit a duplicate key is QUOTA_EXCEEDED too", async () => {
    const carol = await signedInCaller(env);
    for (let i = 0; i < 5; i++) await carol.data.create({ key: `k${i}`, value: "v" });
    expect((await rejection(carol.data.create({ key: "k1", value: "v" }))).appCode).toBe("QUOTA_EXCEEDED");
  });

  it("makes room for exactly as many as were deleted, however often the limit is reached", async () => {
    const erin = await signedInCaller(env);
    for (let round = 0; round < 3; round++) {
      const { ok } = await settled(Array.from({ length: 8 }, (_, i) => erin.data.create({ key: `r${round}-${i}`, value: "v" })));
      expect(ok).toBe(round === 0 ? 5 : 2);
      const keys = (await erin.data.list({ limit: 100 })).data.items.map((item) => item.key);
      expect(keys).toHaveLength(5);
      for (const key of keys.slice(0, 2)) await erin.data.delete({ key });
    }
  });

  it("limits tasks the same way", async () => {
    const dave = await signedInCaller(env);
    const { ok, codes } = await settled(Array.from({ length: 10 }, (_, i) => dave.tasks.create({ title: `t${i}` })));
    expect(ok).toBe(4);
    expect(codes).toEqual(Array(6).fill("QUOTA_EXCEEDED"));
    const [first] = (await dave.tasks.list({})).data.items;
    await dave.tasks.delete({ id: first!.id });
    await dave.tasks.create({ title: "room again" });
  });
});
