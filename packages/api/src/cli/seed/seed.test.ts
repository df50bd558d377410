/** `npm run seed`'s work, on a fresh database: a seller with a dozen pictured products and a buyer, and idempotent. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServices, type TestEnv } from "../../testing/index.ts";
import { DEMO_BUYER, DEMO_PRODUCTS, DEMO_SELLER } from "./catalog.ts";
import { drawPng } from "./png.ts";
import { seed } from "./run.ts";

let env: TestEnv;
beforeAll(async () => {
  env = await createTestServices();
});
afterAll(() => env.cleanup());

async function bytesOf(storageKey: string): Promise<Buffer> {
  const stream = await env.services.images.read(storageKey);
  const parts: Buffer[] = [];
  for await (const part of stream!) parts.push(Buffer.from(part as Uint8Array));
  return Buffer.concat(parts);
}

describe("seed", () => {
  it("draws valid PNGs: signature, IHDR with the size asked for, and IEND", () => {
    const png = drawPng(3, 2, (x, y) => [x * 80, y * 120, 7]);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([3, 2]);
    expect(png.subarray(-8, -4).toString("latin1")).toBe("IEND");
  });

  it("creates the demo seller's products with a generated picture each, and the demo buyer, who can sign in", async () => {
    const report = await seed(env.services);
    expect(report).toMatchObject({ productsCreated: DEMO_PRODUCTS.length, imagesCreated: DEMO_PRODUCTS.length, products: 12 });
    const db = env.services.db.kysely;
    const seller = await db.selectFrom("users").selectAll().where("id", "=", report.sellerId).executeTakeFirstOrThrow();
    expect([seller.role, seller.store_name]).toEqual(["seller", DEMO_SELLER.store_name]);
    const products = await db.selectFrom("products").select(["id", "name"]).where("seller_id", "=", report.sellerId).execute();
    expect(products.map((p) => p.name).sort()).toEqual(DEMO_PRODUCTS.map((p) => p.name).sort());
    for (const product of products) {
      const images = await db.selectFrom("product_images").selectAll().where("product_id", "=", product.id).execute();
      expect(images).toHaveLength(1);
      expect(images[0]!.content_type).toBe("image/png");
      const png = await bytesOf(images[0]!.storage_key);
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([240, 240]);
    }
    const login = await env.caller().auth.token({ username: DEMO_BUYER.username, password: DEMO_BUYER.password });
    expect(login.data.token_type).toBe("Bearer");
    // The catalog shows them to anyone.
    expect((await env.caller().products.list({ seller: report.sellerId, limit: 100 })).data.items).toHaveLength(12);
  });

  it("changes nothing when run again", async () => {
    const db = env.services.db.kysely;
    const imageIds = () => db.selectFrom("product_images").select("id").orderBy("id").execute();
    const before = await imageIds();
    const again = await seed(env.services);
    expect(again).toMatchObject({ productsCreated: 0, imagesCreated: 0 });
    expect(await db.selectFrom("products").select("id").where("seller_id", "=", again.sellerId).execute()).toHaveLength(12);
    expect(await imageIds()).toEqual(before);
    expect(await db.selectFrom("users").select("id").where("username", "in", [DEMO_SELLER.username, DEMO_BUYER.username]).execute()).toHaveLength(2);
  });
});
