/** SQLite's one connection: a statement made while another caller's transaction is open is not part of it. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDatabase, type Database } from "./database.ts";

let dir: string;
let db: Database;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tessera-one-connection-"));
  db = await createDatabase({ url: `file:${path.join(dir, "test.db")}` });
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const entry = (id: string) => ({ id, at: new Date(), action: "test", client_address: "-", request_id: "-" });
const insert = (id: string) => db.kysely.insertInto("audit_entries").values(entry(id)).execute();

/** Opens a transaction that writes `id`, then waits for the returned `finish` before it rolls back or commits. */
function openTransaction(id: string, outcome: "rollback" | "commit") {
  let opened!: () => void;
  let finish!: () => void;
  const isOpen = new Promise<void>((resolve) => (opened = resolve));
  const released = new Promise<void>((resolve) => (finish = resolve));
  const done = db
    .transaction(async (tx) => {
      await tx.insertInto("audit_entries").values(entry(id)).execute();
      opened();
      await released;
      if (outcome === "rollback") throw new Error("rolled back on purpose");
    })
    .catch(() => undefined);
  return { isOpen, finish, done };
}

const ids = async () => (await db.kysely.selectFrom("audit_entries").select("id").orderBy("id").execute()).map((row) => row.id);

it("keeps a write made during another caller's transaction when that transaction rolls back", async () => {
  const other = openTransaction("rolled-back", "rollback");
  await other.isOpen;
  const write = insert("kept");
  other.finish();
  await Promise.all([write, other.done]);
  expect(await ids()).toEqual(["kept"]);
});

it("does not show a read the rows of a transaction that has not committed", async () => {
  const other = openTransaction("uncommitted", "rollback");
  await other.isOpen;
  const read = db.kysely.selectFrom("audit_entries").select("id").where("id", "=", "uncommitted").executeTakeFirst();
  // Time for the read to run, were it allowed to while the transaction is open.
  await setTimeout(50);
  other.finish();
  expect(await read).toBeUndefined();
  await other.done;
});

it("still runs transactions and statements in the order they were issued", async () => {
  const other = openTransaction("first", "commit");
  await other.isOpen;
  const second = insert("second");
  other.finish();
  await Promise.all([other.done, second]);
  expect((await ids()).filter((id) => id === "first" || id === "second")).toEqual(["first", "second"]);
});

it("reads back what it wrote: Dates, booleans and text in the format of the rows Prisma wrote", async () => {
  const at = new Date("2026-12-03T09:38:56.252Z");
  await db.kysely.insertInto("audit_entries").values({ ...entry("dated"), at }).execute();
  const row = await db.kysely.selectFrom("audit_entries").select(["at"]).where("id", "=", "dated").executeTakeFirstOrThrow();
  expect(row.at).toEqual(at);
  const raw = await db.kysely.selectFrom("audit_entries").select((eb) => eb.fn<string>("printf", [eb.val("%s"), eb.ref("at")]).as("text")).where("id", "=", "dated").executeTakeFirstOrThrow();
  expect(raw.text).toBe("2026-12-03T09:38:56.252+00:00");
  const user = { id: "u", username: "u", username_key: "u", email: "u@example.com", password_hash: "x", full_name: "U", gender: "other", created_at: at };
  await db.kysely.insertInto("users").values({ ...user, is_active: false }).execute();
  const read = await db.kysely.selectFrom("users").select(["is_active", "created_at"]).where("id", "=", "u").executeTakeFirstOrThrow();
  expect(read).toEqual({ is_active: false, created_at: at });
  const found = await db.kysely.selectFrom("users").select("id").where("is_active", "=", false).where("created_at", "<=", at).execute();
  expect(found).toEqual([{ id: "u" }]);
});
