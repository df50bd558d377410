import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "./client.ts";
import { createTestDatabase, type TestDatabase } from "./testing.ts";

let dataDir: string;
let database: TestDatabase;
let db: Database;
/** What the listener heard, in order, with marks the test adds between steps. */
const heard: string[] = [];

const newUser = (id: string) => ({ id, username: id, usernameKey: id, email: `${id}@example.com`, passwordHash: "x", fullName: id, gender: "other" });

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "tessera-watch-"));
  database = await createTestDatabase(dataDir);
  db = await createDatabase({ url: database.url });
  db.onWrite(["users", "sessions"], () => heard.push("write"));
});
afterAll(async () => {
  await db?.close();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the write watch", () => {
  it("reports a write to a watched table once it is done, and nothing for reads or other tables", async () => {
    heard.length = 0;
    await db.prisma.user.create({ data: newUser("w1") });
    heard.push("created");
    await db.prisma.user.findMany();
    await db.prisma.dataEntry.create({ data: { ownerId: "w1", key: "k", value: "v", createdAt: new Date(), updatedAt: new Date() } });
    heard.push("other table");
    await db.prisma.user.updateMany({ where: { id: "nobody" }, data: { role: "admin" } });
    expect(heard).toEqual(["write", "created", "other table", "write"]);
  });

  it("reports a write inside a transaction only after the commit, and after a rollback too", async () => {
    heard.length = 0;
    await db.prisma.$transaction(async (tx) => {
      await tx.session.create({ data: { id: "s1", userId: "w1", expiresAt: new Date() } });
      heard.push("written, not committed");
    });
    heard.push("committed");
    await db.prisma
      .$transaction(async (tx) => {
        await tx.session.update({ where: { id: "s1" }, data: { revokedAt: new Date() } });
        throw new Error("roll back");
      })
      .catch(() => heard.push("rolled back"));
    expect(heard).toEqual(["written, not committed", "write", "committed", "write", "rolled back"]);
  });

  it("sees nested writes, cascades started by a watched table, and raw SQL", async () => {
    heard.length = 0;
    await db.prisma.dataEntry.update({
      where: { ownerId_key: { ownerId: "w1", key: "k" } },
      data: { owner: { update: { fullName: "renamed" } } },
    });
    heard.push("nested");
    await db.prisma.$executeRawUnsafe(`UPDATE sessions SET revoked_at = NULL WHERE id = 's1'`);
    heard.push("raw");
    await db.prisma.user.delete({ where: { id: "w1" } });
    expect(heard).toEqual(["write", "nested", "write", "raw", "write"]);
    expect(await db.prisma.session.count()).toBe(0);
  });
});
