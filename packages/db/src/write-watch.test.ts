import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "./database.ts";
import { createTestDataDir, type TestDataDir } from "./testing.ts";

let database: TestDataDir;
let db: Database;
/** What the listener heard, in order, with marks the test adds between steps. */
const heard: string[] = [];

const now = new Date();
const newUser = (id: string) => ({
  id, username: id, username_key: id, email: `${id}@example.com`, password_hash: "x", full_name: id, gender: "other", created_at: now,
});

beforeAll(async () => {
  database = await createTestDataDir("tessera-watch-");
  db = await createDatabase({ url: database.url });
  db.onWrite(["users", "sessions"], () => heard.push("write"));
});
afterAll(async () => {
  await db?.close();
  await database?.dispose();
});

describe("the write watch", () => {
  it("reports a write to a watched table once it is done, and nothing for reads or other tables", async () => {
    heard.length = 0;
    await db.kysely.insertInto("users").values(newUser("w1")).execute();
    heard.push("created");
    await db.kysely.selectFrom("users").selectAll().execute();
    await db.kysely.insertInto("data_entries").values({ owner_id: "w1", key: "k", value: "v", created_at: now, updated_at: now }).execute();
    heard.push("other table");
    await db.kysely.updateTable("users").set({ role: "admin" }).where("id", "=", "nobody").execute();
    expect(heard).toEqual(["write", "created", "other table", "write"]);
  });

  it("reports a write inside a transaction only after the commit, and after a rollback too", async () => {
    heard.length = 0;
    await db.transaction(async (tx) => {
      await tx.insertInto("sessions").values({ id: "s1", user_id: "w1", created_at: now, expires_at: now }).execute();
      heard.push("written, not committed");
    });
    heard.push("committed");
    await db
      .transaction(async (tx) => {
        await tx.updateTable("sessions").set({ revoked_at: new Date() }).where("id", "=", "s1").execute();
        throw new Error("roll back");
      })
      .catch(() => heard.push("rolled back"));
    expect(heard).toEqual(["written, not committed", "write", "committed", "write", "rolled back"]);
  });

  it("sees raw SQL, and a delete that cascades from a watched table", async () => {
    heard.length = 0;
    await sql`UPDATE sessions SET revoked_at = NULL WHERE id = 's1'`.execute(db.kysely);
    heard.push("raw");
    await db.kysely.deleteFrom("users").where("id", "=", "w1").execute();
    expect(heard).toEqual(["write", "raw", "write"]);
    const { count } = await db.kysely.selectFrom("sessions").select((eb) => eb.fn.countAll<number>().as("count")).executeTakeFirstOrThrow();
    expect(Number(count)).toBe(0);
  });
});
