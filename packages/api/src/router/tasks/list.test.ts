/** tasks.list through createCaller: orders, keyset walks, filters, q, and list errors. */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { appCodeOf, type Caller, compareFor, createTestServices, ids, rejection, signedInCaller, type PagesOptions, pages, SORTS, type TestEnv, type WireTask } from "../../testing/index.ts";

/** Every task of a tasks.list walk, following next_cursor; every page but the last must be full. */
const walk = (caller: Caller, input: Parameters<Caller["tasks"]["list"]>[0], between?: PagesOptions<WireTask>["between"]) =>
  pages((cursor) => caller.tasks.list({ ...input, cursor }).then((r) => r.data), { pageSize: input.limit ?? 20, between });

const STATUSES = ["todo", "in_progress", "done"] as const;
const PRIORITIES = ["low", "medium", "high"] as const;
// Two spellings of one instant, and repeats: due-date ties must be broken by id.
const DUES = ["2030-05-01T12:00:00Z", "2030-05-01T14:00:00+02:00", "2029-12-31T23:59:59.999Z", "2031-01-01T00:00:00-05:00", "2030-05-01T12:00:00.001Z"];

let env: TestEnv;
let alice: Caller;
let bob: Caller;
const created: WireTask[] = [];
const base = Date.now() + 60_000;

beforeAll(async () => {
  env = await createTestServices();
  [alice, bob] = [await signedInCaller(env), await signedInCaller(env)];
  // 45 tasks on 9 distinct creation instants (fake clock): five tasks share each created_at.
  try {
    for (let i = 0; i < 45; i++) {
      vi.useFakeTimers({ toFake: ["Date"], now: base + (i % 9) * 1000 });
      const input = {
        title: `Task ${i}`,
        status: STATUSES[i % 3],
        priority: PRIORITIES[Math.floor(i / 5) % 3],
        due_date: i % 4 === 0 ? null : DUES[i % 5]!,
      };
      const { data } = await alice.tasks.create(input);
      expect(data.created_at).toBe(new Date(base + (i % 9) * 1000).toISOString());
      created.push(data);
    }
  } finally {
    vi.useRealTimers();
  }
  await bob.tasks.create({ title: "Bob's only task" });
});
afterAll(() => env.cleanup());

describe("orders and full cursor walks", () => {
  it.each(SORTS)("walks sort=%s with limit 7: every task once, in the contract's order", async (sort) => {
    const items = await walk(alice, { sort, limit: 7 });
    expect(ids(items)).toEqual(ids([...created].sort(compareFor(sort))));
    for (const item of items) expect(item).toEqual(created.find((t) => t.id === item.id));
  });

  it.each(SORTS)("gives sort=%s the same order in one page of 100", async (sort) => {
    const { data } = await alice.tasks.list({ sort, limit: 100 });
    expect(data.next_cursor).toBeNull();
    expect(ids(data.items)).toEqual(ids([...created].sort(compareFor(sort))));
  });

  it("sorts by -created_at by default, 20 per page", async () => {
    const { data } = await alice.tasks.list({});
    expect(ids(data.items)).toEqual(ids([...created].sort(compareFor("-created_at"))).slice(0, 20));
    expect(data.next_cursor).toEqual(expect.any(String));
  });

  it.each(["due_date", "-due_date"] as const)("puts undated tasks last for sort=%s", async (sort) => {
    const items = await walk(alice, { sort, limit: 7 });
    const firstUndated = items.findIndex((t) => t.due_date === null);
    expect(firstUndated).toBe(created.filter((t) => t.due_date !== null).length);
    expect(items.slice(firstUndated).every((t) => t.due_date === null)).toBe(true);
  });

  it("orders priority by rank, not by name", async () => {
    const rank = (items: WireTask[]) => [...new Set(items.map((t) => t.priority))];
    expect(rank(await walk(alice, { sort: "priority", limit: 7 }))).toEqual(["low", "medium", "high"]);
    expect(rank(await walk(alice, { sort: "-priority", limit: 7 }))).toEqual(["high", "medium", "low"]);
  });
});

describe("filters", () => {
  it.each(STATUSES)("filters status=%s across pages", async (status) => {
    const items = await walk(alice, { status, sort: "due_date", limit: 4 });
    expect(ids(items)).toEqual(ids(created.filter((t) => t.status === status).sort(compareFor("due_date"))));
  });

  it.each(PRIORITIES)("filters priority=%s, combined with a status", async (priority) => {
    const items = await walk(alice, { priority, status: "done", sort: "-priority", limit: 2 });
    const expected = created.filter((t) => t.priority === priority && t.status === "done").sort(compareFor("-priority"));
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(items)).toEqual(ids(expected));
  });

  it("never lists another user's tasks, even with their cursor", async () => {
    const items = await walk(bob, { limit: 100 });
    expect(items.map((t) => t.title)).toEqual(["Bob's only task"]);
    const alicePage = await alice.tasks.list({ limit: 1, sort: "created_at" });
    const withAliceCursor = await bob.tasks.list({ limit: 100, sort: "created_at", cursor: alicePage.data.next_cursor! });
    expect(ids(withAliceCursor.data.items).some((id) => ids(created).includes(id))).toBe(false);
  });
});

describe("q", () => {
  let carol: Caller;
  const made: Record<string, string> = {};
  beforeAll(async () => {
    carol = await signedInCaller(env);
    const rows = [
      ["milk", "Buy MILK", ""], ["desc", "Groceries", "Almond MilK and honey"], ["silk", "Silk scarf", ""],
      ["pct", "100% done", ""], ["nopct", "1000 done", ""], ["under", "a_b", ""], ["nounder", "axb", ""],
      ["slash", "back\\slash", ""], ["accent", "ÉCOLE", ""],
    ];
    for (const [key, title, description] of rows) made[key!] = (await carol.tasks.create({ title: title!, description })).data.id;
  });
  const search = async (q: string) => ids((await carol.tasks.list({ q, limit: 100 })).data.items).sort();
  const expected = (...keys: string[]) => keys.map((k) => made[k]!).sort();

  it("matches title or description case-insensitively", async () => {
    expect(await search("mIlK")).toEqual(expected("milk", "desc"));
    expect(await search("école")).toEqual(expected("accent"));
  });

  it("matches % and _ (and \\) literally", async () => {
    expect(await search("0%")).toEqual(expected("pct"));
    expect(await search("%")).toEqual(expected("pct"));
    expect(await search("a_b")).toEqual(expected("under"));
    expect(await search("_")).toEqual(expected("under"));
    expect(await search("\\")).toEqual(expected("slash"));
  });

  it("pages literally through many rows that only match as a LIKE pattern", async () => {
    const dave = await signedInCaller(env);
    const real: string[] = [];
    for (let i = 0; i < 40; i++) {
      const { data } = await dave.tasks.create({ title: i % 8 === 3 ? `x a_b ${i}` : `x a${i % 10}b ${i}` });
      if (data.title.includes("a_b")) real.push(data.id);
    }
    const items = await walk(dave, { q: "A_B", sort: "created_at", limit: 2 });
    expect(ids(items).sort()).toEqual([...real].sort());
  });
});

describe("inserts and deletes between pages", () => {
  it.each(SORTS)("sort=%s: tasks present throughout appear exactly once", async (sort) => {
    const erin = await signedInCaller(env);
    const original: WireTask[] = [];
    for (let i = 0; i < 20; i++) {
      original.push((await erin.tasks.create({ title: `o${i}`, priority: PRIORITIES[i % 3], due_date: i % 3 ? DUES[i % 5]! : null })).data);
    }
    const deleted = new Set<string>();
    const deletedUnseen = new Set<string>();
    let n = 0;
    const items = await walk(erin, { sort, limit: 4 }, async (page, soFar) => {
      if (page >= 3) return; // bounded: inserts ahead of the cursor must not outrun the walk
      const seen = new Set(ids(soFar));
      // Delete one task already listed and one not yet listed; add tasks on both sides of the cursor.
      const listed = original.find((t) => seen.has(t.id) && !deleted.has(t.id));
      const unlisted = original.findLast((t) => !seen.has(t.id) && !deleted.has(t.id));
      for (const victim of [listed, unlisted]) {
        if (!victim) continue;
        await erin.tasks.delete({ id: victim.id });
        deleted.add(victim.id);
        if (victim === unlisted) deletedUnseen.add(victim.id);
      }
      for (const due of [DUES[n % 5]!, null, "2000-01-01T00:00:00Z", "2099-01-01T00:00:00Z"]) {
        await erin.tasks.create({ title: `new ${n++}`, priority: PRIORITIES[n % 3], due_date: due });
      }
    });
    expect(deletedUnseen.size).toBe(3);
    expect(new Set(ids(items)).size).toBe(items.length);
    for (const task of original.filter((t) => !deleted.has(t.id))) expect(ids(items).filter((id) => id === task.id)).toHaveLength(1);
    expect(ids(items).filter((id) => deletedUnseen.has(id))).toEqual([]);
    expect(ids(items)).toEqual(ids([...items].sort(compareFor(sort))));
  });
});

describe("invalid list requests", () => {
  it.each([
    ["limit", { limit: 0 }], ["limit", { limit: 101 }], ["limit", { limit: -1 }], ["limit", { limit: 1.5 }], ["limit", { limit: "ten" }],
    ["status", { status: "open" }], ["priority", { priority: "urgent" }], ["sort", { sort: "title" }], ["sort", { sort: "" }],
    ["sort", { sort: "--created_at" }], ["q", { q: "x".repeat(10_001) }], ["q", { q: 5 }],
  ])("refuses %s in %j with INVALID_REQUEST", async (field, input) => {
    const error = await rejection(alice.tasks.list(input as never));
    expect(error.appCode).toBe("INVALID_REQUEST");
    expect(error.details?.map((d) => d.path)).toEqual([field]);
  });

  it("refuses cursors that are not this list's, including one from another sort", async () => {
    const next = (await alice.tasks.list({ sort: "due_date", limit: 2 })).data.next_cursor!;
    const forged = (position: unknown) => Buffer.from(JSON.stringify(position)).toString("base64url");
    const bad = [
      "garbage!", "", forged({}), forged([1]), forged({ sort: "due_date", value: "yesterday", id: "x" }),
      forged({ sort: "priority", value: 7, id: "x" }), forged({ sort: "created_at", value: null, id: "x" }),
    ];
    for (const cursor of bad) expect(await appCodeOf(alice.tasks.list({ sort: "due_date", cursor }))).toBe("INVALID_REQUEST");
    for (const sort of SORTS.filter((s) => s !== "due_date")) {
      expect(await appCodeOf(alice.tasks.list({ sort, cursor: next }))).toBe("INVALID_REQUEST");
    }
    expect((await alice.tasks.list({ sort: "due_date", cursor: next })).data.items.length).toBeGreaterThan(0);
  });
});
