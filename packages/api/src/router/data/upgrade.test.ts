/**
 * A database made before encoded values and 64-bit prices (every migration up to 20261123020000), holding rows, then
 * upgraded with the committed migrations: nothing is lost (the SQLite migration deliberately rebuilds no table: inside
 * the runner's transaction a rebuild would cascade-delete images, categories and cart lines), every value reads back as
 * it was, and prices beyond 32 bits fit afterwards.
 */
import { randomUUID } from "node:crypto";
import { applyMigrations, committedMigrations, createDatabase, type Database } from "@tessera/db";
import { createTestDataDir, type TestDataDir } from "@tessera/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromStored } from "./stored-value.ts";

const BEFORE = "20261203100000";
let database: TestDataDir;
let db: Database;
const ids = { user: randomUUID(), product: randomUUID(), image: randomUUID(), order: randomUUID() };
const VALUES = ["plain", '"a\\u0000b"', "\\u0000", '{"json":true}', "é😀"];

beforeAll(async () => {
  database = await createTestDataDir("tessera-upgrade-");
  const migrations = committedMigrations(database.url);
  expect(migrations.filter((m) => m.name >= BEFORE).length).toBeGreaterThanOrEqual(2);
  await applyMigrations(database.url, migrations.filter((m) => m.name < BEFORE));
  const old = await createDatabase({ url: database.url, migrate: false });
  const now = new Date();
  const k = old.kysely;
  await k.insertInto("users").values({
    id: ids.user, username: "old", username_key: "old", email: "old@example.com", password_hash: "x", full_name: "Old", age: null,
    gender: "other", role: "seller", store_name: "Old shop", created_at: now,
  }).execute();
  // As the code of that time wrote rows: no value_encoded column yet.
  await k.insertInto("data_entries").values(VALUES.map((value, i) => ({ owner_id: ids.user, key: `k${i}`, value, created_at: now, updated_at: now }))).execute();
  await k.insertInto("products").values({
    id: ids.product, seller_id: ids.user, name: "Lamp", price_cents: 2_000_000_000, name_search: "lamp", description_search: "", created_at: now, updated_at: now,
  }).execute();
  await k.insertInto("product_categories").values({ product_id: ids.product, name: "lighting" }).execute();
  await k.insertInto("product_images").values({
    id: ids.image, product_id: ids.product, storage_key: ids.image, content_type: "image/png", byte_size: 1, sha256: "0", position: 0, created_at: now,
  }).execute();
  await k.insertInto("cart_lines").values({ user_id: ids.user, product_id: ids.product, quantity: 2, created_at: now }).execute();
  await k.insertInto("orders").values({
    id: ids.order, buyer_id: ids.user, buyer_username: "old", seller_id: ids.user, seller_store_name: "Old shop", total_cents: 4_000_000_000,
    currency: "USD", status: "paid", payment_provider: "simulator", charge_id: null, payment_status: "succeeded", created_at: now, updated_at: now,
  }).execute();
  await k.insertInto("order_items").values({ order_id: ids.order, product_id: ids.product, position: 0, name: "Lamp", unit_price_cents: 2_000_000_000, quantity: 2 }).execute();
  await old.close();
  const applied = await applyMigrations(database.url, migrations);
  expect(applied).toEqual(migrations.filter((m) => m.name >= BEFORE).map((m) => m.name));
  db = await createDatabase({ url: database.url, migrate: false });
});

afterAll(async () => {
  await db?.close();
  await database?.dispose();
});

describe("upgrading a database that holds rows", () => {
  it("keeps every key-value row, which reads back exactly as it was written", async () => {
    const rows = await db.kysely.selectFrom("data_entries").select(["key", "value", "value_encoded"]).where("owner_id", "=", ids.user).orderBy("key").execute();
    expect(rows.map((row) => row.value_encoded)).toEqual(VALUES.map(() => false));
    expect(rows.map(fromStored)).toEqual(VALUES);
  });

  it("keeps products with their categories, images and cart lines, and orders with their items and prices", async () => {
    const k = db.kysely;
    expect(await k.selectFrom("products").select("price_cents").where("id", "=", ids.product).executeTakeFirst()).toEqual({ price_cents: 2_000_000_000 });
    expect(await k.selectFrom("product_categories").select("name").where("product_id", "=", ids.product).execute()).toEqual([{ name: "lighting" }]);
    expect(await k.selectFrom("product_images").select("id").where("product_id", "=", ids.product).execute()).toEqual([{ id: ids.image }]);
    expect(await k.selectFrom("cart_lines").select("quantity").where("user_id", "=", ids.user).execute()).toEqual([{ quantity: 2 }]);
    expect(await k.selectFrom("order_items").select("unit_price_cents").where("order_id", "=", ids.order).execute()).toEqual([{ unit_price_cents: 2_000_000_000 }]);
  });

  it("stores prices beyond 32 bits afterwards, up to 10^12 and more, as exact numbers", async () => {
    const k = db.kysely;
    await k.updateTable("products").set({ price_cents: 1_000_000_000_000 }).where("id", "=", ids.product).execute();
    await k.updateTable("order_items").set({ unit_price_cents: 2 ** 53 - 1 }).where("order_id", "=", ids.order).execute();
    expect(await k.selectFrom("products").select("price_cents").where("id", "=", ids.product).executeTakeFirst()).toEqual({ price_cents: 1_000_000_000_000 });
    expect(await k.selectFrom("order_items").select("unit_price_cents").where("order_id", "=", ids.order).executeTakeFirst()).toEqual({ unit_price_cents: 2 ** 53 - 1 });
  });
});
