/** SQLite's one connection: a statement made while another caller's transaction is open is not part of it. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDatabase, type Database } from "./client.ts";

let dir: string;
let db: Database;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tessera-one-at-a-time-"));
  db = await createDatabase({ url: `file:${path.join(dir, "test.db")}` });
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const entry = (id: string) => ({ id, at: new Date(), action: "test", clientAddress: "-", requestId: "-" });

/** Opens a transaction that writes `id`, then waits for the returned `finish` before it rolls back or commits. */
function openTransaction(id: string, outcome: "rollback" | "commit") {
  let opened!: () => void;
  let finish!: () => void;
  const isOpen = new Promise<void>((resolve) => (opened = resolve));
  const released = new Promise<void>((resolve) => (finish = resolve));
  const done = db.prisma
    .$transaction(async (tx) => {
      await tx.auditEntry.create({ data: entry(id) });
      opened();
      await released;
      if (outcome === "rollback") throw new Error("rolled back on purpose");
    })
    .catch(() => undefined);
  return { isOpen, finish, done };
}

it("keeps a write made during another caller's transaction when that transaction rolls back", async () => {
  const other = openTransaction("rolled-back", "rollback");
  await other.isOpen;
  const write = db.prisma.auditEntry.create({ data: entry("kept") }).then((row) => row);
  other.finish();
  await Promise.all([write, other.done]);
  expect((await db.prisma.auditEntry.findMany({ orderBy: { id: "asc" } })).map((row) => row.id)).toEqual(["kept"]);
});

it("does not show a read the rows of a transaction that has not committed", async () => {
  const other = openTransaction("uncommitted", "rollback");
  await other.isOpen;
  // Prisma's queries are lazy: then() sends it now.
  const read = db.prisma.auditEntry.findUnique({ where: { id: "uncommitted" } }).then((row) => row);
  // Time for the read to run, were it allowed to while the transaction is open.
  await setTimeout(50);
  other.finish();
  expect(await read).toBeNull();
  await other.done;
});

it("still runs transactions and statements in the order they were issued", async () => {
  const other = openTransaction("first", "commit");
  await other.isOpen;
  const second = db.prisma.auditEntry.create({ data: entry("second") }).then((row) => row);
  other.finish();
  await Promise.all([other.done, second]);
  const rows = await db.prisma.auditEntry.findMany({ where: { id: { in: ["first", "second"] } } });
  expect(rows).toHaveLength(2);
});
