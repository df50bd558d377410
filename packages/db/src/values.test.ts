/** The JS values the code reads and writes are the same on both databases, whatever the process's time zone. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDatabase, type Database } from "./database.ts";
import { createTestDataDir, type TestDataDir } from "./testing.ts";

const zone = process.env.TZ;
let database: TestDataDir;
let db: Database;
beforeAll(async () => {
  // Far from UTC: a driver that reads or writes timestamps in local time shifts them by hours.
  process.env.TZ = "Pacific/Kiritimati";
  database = await createTestDataDir("tessera-values-");
  db = await createDatabase({ url: database.url });
});
afterAll(async () => {
  await db?.close();
  await database?.dispose();
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

it("gives back the instant, the boolean and the 64-bit amount it was given", async () => {
  const at = new Date("2026-01-31T23:59:59.123Z");
  const user = { id: "u", username: "u", username_key: "u", email: "u@example.com", password_hash: "x", full_name: "U", gender: "other", created_at: at };
  await db.kysely.insertInto("users").values({ ...user, is_active: false }).execute();
  expect(await db.kysely.selectFrom("users").select(["created_at", "is_active"]).executeTakeFirstOrThrow()).toEqual({ created_at: at, is_active: false });

  const total = 2 ** 40 + 7; // beyond 32 bits
  await db.kysely
    .insertInto("orders")
    .values({
      id: "o", buyer_id: "u", buyer_username: "u", seller_id: "s", total_cents: total, currency: "USD", status: "paid",
      payment_provider: "simulator", payment_status: "succeeded", created_at: at, updated_at: at,
    })
    .execute();
  const order = await db.kysely.selectFrom("orders").select(["total_cents", "updated_at"]).executeTakeFirstOrThrow();
  expect(order).toEqual({ total_cents: total, updated_at: at });
  // Compared in SQL too, not only read back: the stored value is the UTC instant.
  const later = await db.kysely.selectFrom("orders").select("id").where("updated_at", ">", new Date(at.getTime() - 1)).execute();
  expect(later).toEqual([{ id: "o" }]);
});
