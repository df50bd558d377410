/**
 * Issue 16, item 2: one anonymous request must not make the server search or answer without bound. With 10,000
 * products, a tRPC batch of 20 catalog searches for `%_%` (a q that matches nothing, so each search would test every
 * product) and 200 category lists; every search page tests at most the configured window (1,000 products here),
 * which shows in where its next_cursor points; every answer has a bounded size.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../testing/http.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { account } from "../testing/accounts.ts";

const PRODUCTS = 10_000;
const WINDOW = 1_000;

let server: TestServer;
let sellerId: string;
/** Product ids in the catalog's default order (newest first). */
let newestFirst: string[] = [];

/** Products written straight to the database in chunks (the catalog routes have contract tests of their own). */
async function insertProducts(count: number, make: (i: number) => { name: string; description?: string; categories?: string[] }) {
  const base = Date.now() - 10 * 24 * 3600_000;
  for (let start = 0; start < count; start += 500) {
    const rows = Array.from({ length: Math.min(500, count - start) }, (_, k) => {
      const i = start + k;
      const spec = make(i);
      const description = spec.description ?? "";
      return {
        row: {
          id: randomUUID(), seller_id: sellerId, name: spec.name, description, price_cents: 100 + (i % 50), currency: "USD", stock: 3,
          status: "active", name_search: spec.name.toLowerCase(), description_search: description.toLowerCase(),
          created_at: new Date(base + i * 1000), updated_at: new Date(base + i * 1000),
        },
        categories: spec.categories ?? [],
      };
    });
    await server.services.db.kysely.insertInto("products").values(rows.map((r) => r.row)).execute();
    const categories = rows.flatMap((r) => r.categories.map((name) => ({ product_id: r.row.id, name })));
    if (categories.length > 0) await server.services.db.kysely.insertInto("product_categories").values(categories).execute();
    newestFirst.unshift(...rows.map((r) => r.row.id).reverse());
  }
}

/** One GET of a tRPC batch: `calls` calls of one procedure with these inputs. */
async function batch(procedure: string, inputs: unknown[]) {
  const input = Object.fromEntries(inputs.map((value, i) => [String(i), value]));
  const target = `/trpc/${inputs.map(() => procedure).join(",")}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await fetch(`${server.url}${target}`);
  const text = await res.text();
  return { status: res.status, bytes: Buffer.byteLength(text), results: JSON.parse(text) as { result: { data: any } }[] };
}

beforeAll(async () => {
  server = await startTestServer({ CATALOG_SEARCH_SCAN_ROWS: String(WINDOW), CATALOG_SEARCH_SCAN_BYTES: String(64 * 1024 * 1024) });
  sellerId = (await account(server, { role: "seller" })).id;
  // The oldest product (last in the default order) is the only one whose name holds the text "%_%"; every product
  // has a category of its own, and 300 share "popular".
  await insertProducts(PRODUCTS, (i) => ({
    name: i === 0 ? "Discount %_% bundle" : `Product ${i}`,
    description: "A plain description of an ordinary thing.",
    categories: [`solo-${String(i).padStart(5, "0")}`, ...(i % 33 === 0 ? ["popular"] : [])],
  }));
}, 120_000);
afterAll(() => server?.stop());

describe(`catalog bounds with ${PRODUCTS} products (${process.env.DATABASE_URL?.startsWith("postgres") ? "PostgreSQL" : "SQLite"})`, () => {
  it("20 searches for %_% in one batch: each tests one window of products and answers a short page that goes on", async () => {
    const reply = await batch("products.list", Array.from({ length: 20 }, () => ({ q: "%_%" })));
    expect(reply.status).toBe(200);
    expect(reply.results).toHaveLength(20);
    for (const result of reply.results) {
      const page = result.result.data.data;
      expect(page.items).toEqual([]);
      // Not the end of the catalog: the page stopped after its window.
      expect(page.next_cursor).toEqual(expect.any(String));
    }
    expect(reply.bytes).toBeLessThan(20 * 1024);
  });

  it("following the cursors finds the one match on the last page, one window per page", async () => {
    const pages: { items: { id: string }[]; next_cursor: string | null }[] = [];
    let cursor: string | undefined;
    do {
      const reply = await call(server.url, "GET", `/api/products?q=${encodeURIComponent("%_%")}${cursor ? `&cursor=${cursor}` : ""}`);
      expect(reply.status).toBe(200);
      pages.push(reply.body.data);
      cursor = reply.body.data.next_cursor ?? undefined;
    } while (cursor && pages.length < 100);
    expect(pages).toHaveLength(PRODUCTS / WINDOW);
    expect(pages.flatMap((page) => page.items.map((item) => item.id))).toEqual([newestFirst.at(-1)]);
    expect(pages.at(-1)!.items).toHaveLength(1);
  });

  it("a search page that matches goes on from its last item, and one that stops at its window from the window's end", async () => {
    // "product 1" is in the names of products 1, 10–19, 100–199 and 1000–1999: on the first page (the newest 1,000,
    // numbers 9999 down to 9000) there is none.
    const first = await call(server.url, "GET", "/api/products?q=product%201&limit=5");
    expect(first.body.data.items).toEqual([]);
    const second = await call(server.url, "GET", `/api/products?q=product%201&limit=5&cursor=${first.body.data.next_cursor}`);
    expect(second.body.data.items).toEqual([]); // 8999–8000
    let cursor = second.body.data.next_cursor;
    for (let page = 3; page <= 8; page++) cursor = (await call(server.url, "GET", `/api/products?q=product%201&limit=5&cursor=${cursor}`)).body.data.next_cursor;
    // The ninth window is 1999–1000: a full page of matches from its top.
    const ninth = await call(server.url, "GET", `/api/products?q=product%201&limit=5&cursor=${cursor}`);
    expect(ninth.body.data.items.map((item: { name: string }) => item.name)).toEqual(["Product 1999", "Product 1998", "Product 1997", "Product 1996", "Product 1995"]);
  });

  it("refuses a q longer than 100 characters", async () => {
    const reply = await call(server.url, "GET", `/api/products?q=${"a".repeat(101)}`);
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe("INVALID_REQUEST");
    expect((await call(server.url, "GET", `/api/products?q=${"a".repeat(100)}`)).status).toBe(200);
  });

  it("200 category lists (ten batches of 20): at most 200 categories each, the most used among them", async () => {
    let bytes = 0;
    for (let round = 0; round < 10; round++) {
      const reply = await batch("categories.list", Array.from({ length: 20 }, () => undefined));
      expect(reply.status).toBe(200);
      for (const result of reply.results) {
        const items: { name: string; count: number }[] = result.result.data.data.items;
        expect(items.length).toBeLessThanOrEqual(200);
        expect(items).toContainEqual({ name: "popular", count: Math.ceil(PRODUCTS / 33) });
        expect(items.map((item) => item.name)).toEqual([...items.map((item) => item.name)].sort());
      }
      bytes += reply.bytes;
    }
    // 10,001 categories exist: their whole list would be about 400 KB per call, 80 MB for the 200.
    expect(bytes).toBeLessThan(200 * 200 * 64);
  });
});

describe("answer size", () => {
  it("a page of products with long descriptions stops at 256 KiB of JSON and goes on from there, each product once", async () => {
    const local = await startTestServer();
    try {
      const seller = await account(local, { role: "seller" });
      const ids: string[] = [];
      for (let i = 0; i < 100; i++) {
        const description = `${"long text ".repeat(999)}${i}`;
        const id = randomUUID();
        ids.push(id);
        await local.services.db.kysely.insertInto("products").values({
          id, seller_id: seller.id, name: `Long ${i}`, description, price_cents: 100, currency: "USD", stock: 1, status: "active",
          name_search: `long ${i}`, description_search: description, created_at: new Date(Date.now() - i * 1000), updated_at: new Date(),
        }).execute();
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const reply = await call(local.url, "GET", `/api/products?limit=100${cursor ? `&cursor=${cursor}` : ""}`);
        expect(Buffer.byteLength(reply.text)).toBeLessThan(256 * 1024 + 16 * 1024);
        seen.push(...reply.body.data.items.map((item: { id: string }) => item.id));
        cursor = reply.body.data.next_cursor ?? undefined;
        pages++;
      } while (cursor && pages < 50);
      expect(pages).toBeGreaterThanOrEqual(4); // 100 × 10 KB cannot fit fewer pages
      expect(seen).toEqual(ids);
    } finally {
      await local.stop();
    }
  });

  it("a search with long descriptions tests at most CATALOG_SEARCH_SCAN_BYTES of text per page", async () => {
    const local = await startTestServer({ CATALOG_SEARCH_SCAN_BYTES: String(64 * 1024) });
    try {
      const seller = await account(local, { role: "seller" });
      for (let i = 0; i < 40; i++) {
        const description = "a".repeat(10_000);
        await local.services.db.kysely.insertInto("products").values({
          id: randomUUID(), seller_id: seller.id, name: `Wordy ${i}`, description, price_cents: 100, currency: "USD", stock: 1, status: "active",
          name_search: `wordy ${i}`, description_search: description, created_at: new Date(Date.now() - i * 1000), updated_at: new Date(),
        }).execute();
      }
      let cursor: string | undefined;
      let pages = 0;
      do {
        const reply = await call(local.url, "GET", `/api/products?q=${"a".repeat(99)}b${cursor ? `&cursor=${cursor}` : ""}`);
        expect(reply.body.data.items).toEqual([]);
        cursor = reply.body.data.next_cursor ?? undefined;
        pages++;
      } while (cursor && pages < 50);
      // 40 products of 10,000 bytes, at most 64 KiB (six of them) tested per page: seven pages at least.
      expect(pages).toBeGreaterThanOrEqual(7);
    } finally {
      await local.stop();
    }
  });
});
