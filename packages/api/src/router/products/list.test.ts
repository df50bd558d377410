/** products.list and categories.list through createCaller: every sort walked by cursor, every filter, errors. */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { account, appCodeOf, type Caller, createTestServices, ids, pages, rejection, type TestEnv } from "../../testing/index.ts";
import type { Product } from "./products.schema.ts";

type Sort = "-created_at" | "created_at" | "price" | "-price" | "name";
const SORTS: Sort[] = ["-created_at", "created_at", "price", "-price", "name"];

let env: TestEnv;
let alice: Caller;
let bob: Caller;
let bobId: string;
const active: Product[] = [];
const base = Date.now() + 60_000;

const NAMES = ["Zebra mug", "apple crate", "Éclair tin", "banana stand", "Apple crate", "cherry % jar", "date_box", "Fig \\ frame"];

beforeAll(async () => {
  env = await createTestServices();
  ({ caller: alice } = await account(env, { role: "seller", storeName: "Alice's" }));
  ({ caller: bob, id: bobId } = await account(env, { role: "seller", storeName: "Bob's" }));
  // 32 products on 8 creation instants (fake clock), prices with ties, some out of stock, two archived.
  try {
    for (let i = 0; i < 32; i++) {
      vi.useFakeTimers({ toFake: ["Date"], now: base + (i % 8) * 1000 });
      const owner = i % 4 === 3 ? bob : alice;
      const { data } = await owner.products.create({
        name: `${NAMES[i % NAMES.length]} ${Math.floor(i / 8)}`,
        description: i % 5 === 0 ? "Hand-made in OAK" : "plain",
        price_cents: [500, 1_200, 500, 99_999, 0, 1_200][i % 6]!,
        stock: i % 3 === 0 ? 0 : 5,
        categories: i % 2 === 0 ? ["Kitchen"] : ["kitchen", "Garden"],
      });
      if (i === 7 || i === 20) await owner.products.delete({ id: data.id });
      else active.push(data);
    }
  } finally {
    vi.useRealTimers();
  }
});
afterAll(() => env.cleanup());

/** The contract's order for a sort, with ties broken by id in the same direction. */
function compareFor(sort: Sort) {
  const desc = sort.startsWith("-") ? -1 : 1;
  const key = (p: Product): string | number =>
    sort.endsWith("created_at") ? p.created_at : sort.endsWith("price") ? p.price_cents : p.name.toLowerCase();
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  return (a: Product, b: Product) => desc * (cmp(key(a), key(b)) || cmp(a.id, b.id));
}

/** Every product of a products.list walk; `input` may hold the cursor to start from. */
const walk = (caller: Caller, input: Record<string, unknown>): Promise<Product[]> =>
  pages((cursor) => caller.products.list({ ...input, ...(cursor && { cursor }) } as never).then((r) => r.data), { maxPages: 100 });

describe("products.list orders", () => {
  it.each(SORTS)("walks sort=%s with limit 4 (anonymous): every active product once, in order", async (sort) => {
    const items = await walk(env.caller(), { sort, limit: 4 });
    expect(ids(items)).toEqual(ids([...active].sort(compareFor(sort))));
    for (const item of items) expect(item).toEqual(active.find((p) => p.id === item.id));
  });

  it("sorts by -created_at by default, 20 per page, and never lists archived products", async () => {
    const { data } = await env.caller().products.list({});
    expect(ids(data.items)).toEqual(ids([...active].sort(compareFor("-created_at"))).slice(0, 20));
    expect(data.next_cursor).toEqual(expect.any(String));
    const all = await walk(alice, { limit: 100 });
    expect(all.every((p) => p.status === "active")).toBe(true);
    expect(all).toHaveLength(30);
  });

  it("visits every product once while products are added and archived between pages", async () => {
    const first = await alice.products.list({ sort: "price", limit: 10 });
    const extra = (await alice.products.create({ name: "Late arrival", price_cents: 1 })).data;
    const gone = first.data.items[2]!;
    await alice.products.delete({ id: gone.id }).catch(() => bob.products.delete({ id: gone.id }));
    const rest = await walk(env.caller(), { sort: "price", limit: 10, cursor: first.data.next_cursor });
    const seen = ids([...first.data.items, ...rest]);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(ids(active)));
    expect(seen).not.toContain(extra.id); // price 1 sorts before the cursor: not revisited
    await alice.products.delete({ id: extra.id });
    await alice.products.patch({ id: gone.id, status: "active" }).catch(() => bob.products.patch({ id: gone.id, status: "active" }));
  });
});

describe("products.list filters", () => {
  const expectFilter = async (input: Record<string, unknown>, keep: (p: Product) => boolean) => {
    const items = await walk(env.caller(), { ...input, limit: 7 });
    const expected = active.filter(keep).sort(compareFor(((input.sort as Sort) ?? "-created_at")));
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(items)).toEqual(ids(expected));
  };

  it("q matches name or description, case-insensitively and literally", async () => {
    await expectFilter({ q: "APPLE" }, (p) => p.name.toLowerCase().includes("apple"));
    await expectFilter({ q: "oak" }, (p) => p.description.includes("OAK"));
    await expectFilter({ q: "%" }, (p) => p.name.includes("%"));
    await expectFilter({ q: "e_b" }, (p) => p.name.includes("e_b"));
    await expectFilter({ q: "\\" }, (p) => p.name.includes("\\"));
    await expectFilter({ q: "éclair", sort: "name" }, (p) => p.name.startsWith("Éclair"));
  });

  it("category (case-insensitive), seller, price bounds (inclusive) and in_stock, alone and together", async () => {
    await expectFilter({ category: "GARDEN" }, (p) => p.categories.includes("garden"));
    await expectFilter({ seller: bobId }, (p) => p.seller.user_id === bobId);
    await expectFilter({ min_price: 500, max_price: 1_200, sort: "-price" }, (p) => p.price_cents >= 500 && p.price_cents <= 1_200);
    await expectFilter({ max_price: 0 }, (p) => p.price_cents === 0);
    await expectFilter({ in_stock: true }, (p) => p.stock > 0);
    await expectFilter({ in_stock: false }, () => true);
    await expectFilter({ category: "kitchen", seller: bobId, in_stock: true, min_price: 1, q: " 1", sort: "name" }, (p) =>
      p.seller.user_id === bobId && p.stock > 0 && p.price_cents >= 1 && p.name.toLowerCase().includes(" 1"));
    expect((await env.caller().products.list({ category: "nothing-here" })).data.items).toEqual([]);
    expect((await env.caller().products.list({ seller: "no-such-user" })).data.items).toEqual([]);
  });

  it.each([
    ["limit", { limit: 0 }], ["limit", { limit: 101 }], ["sort", { sort: "price_cents" }], ["in_stock", { in_stock: "yes" }],
    ["min_price", { min_price: -1 }], ["max_price", { max_price: 2.5 }], ["max_price", { min_price: 10, max_price: 9 }],
    ["category", { category: "" }], ["q", { q: "a\u0000" }],
  ])("refuses a bad %s with 400 INVALID_REQUEST", async (path, input) => {
    const error = await rejection(env.caller().products.list(input as never));
    expect(error.appCode).toBe("INVALID_REQUEST");
    expect(error.details?.map((d) => d.path)).toContain(path);
  });

  it("refuses cursors that are not this list's, including one of another sort", async () => {
    const { data } = await env.caller().products.list({ sort: "price", limit: 1 });
    expect(await appCodeOf(env.caller().products.list({ sort: "name", cursor: data.next_cursor! }))).toBe("INVALID_REQUEST");
    expect(await appCodeOf(env.caller().products.list({ cursor: "garbage" }))).toBe("INVALID_REQUEST");
  });
});

describe("categories.list", () => {
  it("counts active products per category, by name, and drops categories with none", async () => {
    const { data } = await env.caller().categories.list();
    expect(data.items).toEqual([
      { name: "garden", count: active.filter((p) => p.categories.includes("garden")).length },
      { name: "kitchen", count: active.length },
    ]);
    const lone = (await bob.products.create({ name: "Lone", price_cents: 1, categories: ["Zzz"] })).data;
    expect((await env.caller().categories.list()).data.items.at(-1)).toEqual({ name: "zzz", count: 1 });
    await bob.products.delete({ id: lone.id });
    expect((await env.caller().categories.list()).data.items.map((c) => c.name)).toEqual(["garden", "kitchen"]);
  });
});
