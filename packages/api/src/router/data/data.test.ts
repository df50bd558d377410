import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../envelope.ts";
import { type Caller, createTestServices, pages, signedInCaller, type TestEnv } from "../../testing/index.ts";

let env: TestEnv;
let alice: Caller;
let bob: Caller;

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: unknown) => (error instanceof AppError ? error.appCode : String(error)),
  );

beforeAll(async () => {
  env = await createTestServices();
  alice = await signedInCaller(env, "alice");
  bob = await signedInCaller(env, "bob");
});
afterAll(() => env.cleanup());

/** The keys of a data.list walk. */
const walk = async (caller: Caller, options: { prefix?: string; limit: number }, between?: (page: number) => Promise<void>) =>
  (await pages((cursor) => caller.data.list({ ...options, cursor }).then((r) => r.data), { between })).map((item) => item.key);

describe("data procedures", () => {
  it("keeps each user's namespace private", async () => {
    await alice.data.create({ key: "shared-name", value: "alice's" });
    await bob.data.create({ key: "shared-name", value: "bob's" });
    expect((await alice.data.get({ key: "shared-name" })).data.value).toBe("alice's");
    await bob.data.delete({ key: "shared-name" });
    expect((await alice.data.get({ key: "shared-name" })).data.value).toBe("alice's");
    expect(await codeOf(bob.data.update({ key: "shared-name", value: "x" }))).toBe("KEY_NOT_FOUND");
    expect(await walk(bob, { limit: 100 })).not.toContain("shared-name");
  });

  it("gives one success and KEY_EXISTS to the rest of concurrent creates of one key", async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => codeOf(alice.data.create({ key: "race", value: String(i) }))));
    expect(results.filter((r) => r === "resolved")).toHaveLength(1);
    expect(results.filter((r) => r === "KEY_EXISTS")).toHaveLength(9);
  });

  it("matches prefixes literally and case-sensitively", async () => {
    for (const key of ["p_1", "p%2", "pX3", "P_4", "p_", "q"]) await alice.data.create({ key, value: key });
    expect(await walk(alice, { prefix: "p_", limit: 100 })).toEqual(["p_", "p_1"]);
    expect(await walk(alice, { prefix: "p%", limit: 100 })).toEqual(["p%2"]);
    expect(await walk(alice, { prefix: "P", limit: 100 })).toEqual(["P_4"]);
  });

  it("visits every key once, in key order, while keys come and go between pages", async () => {
    const stable = Array.from({ length: 23 }, (_, i) => `walk/${String(i).padStart(2, "0")}`);
    for (const key of stable) await alice.data.create({ key, value: "v" });
    const seen = await walk(alice, { prefix: "walk/", limit: 4 }, async (page) => {
      await alice.data.create({ key: `walk/${String(page).padStart(2, "0")}-new`, value: "added" });
      await alice.data.create({ key: `walk/00-early-${page}`, value: "added behind the cursor" });
      await alice.data.delete({ key: `walk/00-early-${page}` });
    });
    expect(seen.filter((key) => stable.includes(key))).toEqual(stable);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(seen);
  });

  it("answers reads that arrive together (one tRPC batch) each with its own key, and only the caller's", async () => {
    for (const key of ["b-1", "b-2", "b-3"]) await alice.data.create({ key, value: `alice ${key}` });
    await bob.data.create({ key: "b-bob", value: "bob's" });
    const reads = await Promise.all(
      ["b-3", "b-1", "missing", "b-bob", "b-2", "b-1"].map((key) =>
        alice.data.get({ key }).then((r) => r.data.value, (error: unknown) => (error as AppError).appCode),
      ),
    );
    expect(reads).toEqual(["alice b-3", "alice b-1", "KEY_NOT_FOUND", "KEY_NOT_FOUND", "alice b-2", "alice b-1"]);
    const [mine, theirs] = await Promise.all([alice.data.get({ key: "b-1" }), bob.data.get({ key: "b-bob" })]);
    expect([mine.data.value, theirs.data.value]).toEqual(["alice b-1", "bob's"]);
  });

  it("refuses cursors it did not make", async () => {
    expect(await codeOf(alice.data.list({ limit: 5, cursor: "not-a-cursor" }))).toBe("INVALID_REQUEST");
    expect(await codeOf(alice.data.list({ limit: 5, cursor: Buffer.from('{"id":1}').toString("base64url") }))).toBe("INVALID_REQUEST");
  });

  it("validates keys and values with their own codes", async () => {
    expect(await codeOf(alice.data.create({ key: "", value: "v" }))).toBe("INVALID_KEY");
    expect(await codeOf(alice.data.create({ key: "k".repeat(256), value: "v" }))).toBe("INVALID_KEY");
    expect(await codeOf(alice.data.create({ key: "tab\there", value: "v" }))).toBe("INVALID_KEY");
    expect(await codeOf(alice.data.create({ key: "big", value: "é".repeat(32 * 1024 + 1) }))).toBe("INVALID_VALUE");
    expect(await codeOf(alice.data.list({ limit: 5, prefix: "\u0000" }))).toBe("INVALID_REQUEST");
    expect(await codeOf(alice.data.create({ key: "😀".repeat(255), value: "x".repeat(64 * 1024) }))).toBe("resolved");
  });
});

describe("values: any string reads back exactly (docs/contract.md), on every database", () => {
  // NUL, which PostgreSQL text cannot hold; lone surrogates, which UTF-8 cannot; and text that looks like an encoding.
  const awkward = ["a\u0000b", "\u0000", "\u0000".repeat(1000), "lone \uD800 high", "lone \uDFFF low", "\uDC00\uD800", '"a\\u0000b"', '""', "😀\u0000😀"];

  it.each(awkward.map((value) => [JSON.stringify(value), value]))("round-trips %s through create, get, list and update", async (_label, value) => {
    const key = `exact ${JSON.stringify(value).slice(0, 40)}`;
    await alice.data.create({ key, value });
    expect((await alice.data.get({ key })).data.value).toBe(value);
    expect((await alice.data.list({ limit: 100, prefix: key })).data.items.map((item) => item.value)).toEqual([value]);
    await alice.data.update({ key, value: `${value}!` });
    expect((await alice.data.get({ key })).data.value).toBe(`${value}!`);
    await alice.data.update({ key, value: "plain again" });
    expect((await alice.data.get({ key })).data.value).toBe("plain again");
  });

  it("reads several of them in one batch of reads as well", async () => {
    const keys = awkward.map((_, i) => `batch ${i}`);
    await Promise.all(keys.map((key, i) => bob.data.create({ key, value: awkward[i]! })));
    const values = await Promise.all(keys.map((key) => bob.data.get({ key })));
    expect(values.map((reply) => reply.data.value)).toEqual(awkward);
  });

  it("counts the 64 KiB limit on the value as sent, not as stored", async () => {
    const max = "\u0000".repeat(64 * 1024);
    expect(await codeOf(alice.data.create({ key: "nul max", value: max }))).toBe("resolved");
    expect((await alice.data.get({ key: "nul max" })).data.value).toBe(max);
    expect(await codeOf(alice.data.create({ key: "nul over", value: `${max}x` }))).toBe("INVALID_VALUE");
  });

  it("reads rows written before values were encoded as they are, whatever they look like", async () => {
    const owner = (await alice.auth.me()).data.user_id;
    const now = new Date();
    // As the code before this change wrote them: no value_encoded (the column's default applies).
    const legacy = ['"a\\u0000b"', "\\u0000", '{"json": true}', "plain"];
    await env.services.db.kysely
      .insertInto("data_entries")
      .values(legacy.map((value, i) => ({ owner_id: owner, key: `legacy ${i}`, value, created_at: now, updated_at: now })))
      .execute();
    expect((await Promise.all(legacy.map((_, i) => alice.data.get({ key: `legacy ${i}` })))).map((reply) => reply.data.value)).toEqual(legacy);
    expect((await alice.data.list({ limit: 100, prefix: "legacy " })).data.items.map((item) => item.value)).toEqual(legacy);
  });
});
