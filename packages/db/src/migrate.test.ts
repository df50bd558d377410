import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { createDatabase } from "./client.ts";
import { applyMigrations, readMigrations } from "./migrate.ts";

const run = promisify(execFile);
const freshUrl = () => `file:${path.join(mkdtempSync(path.join(tmpdir(), "tessera-db-")), "nested", "test.db")}`;
const appliedRows = (url: string) => {
  const db = new Database(url.slice("file:".length), { readonly: true });
  try {
    return db.prepare(`SELECT migration_name, checksum FROM "_prisma_migrations"`).all() as { migration_name: string; checksum: string }[];
  } finally {
    db.close();
  }
};

describe("applyMigrations", () => {
  it("applies every committed migration once, recording Prisma-compatible checksums", () => {
    const url = freshUrl();
    const migrations = readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    expect(applyMigrations(url)).toEqual(migrations.map((m) => m.name));
    expect(applyMigrations(url)).toEqual([]);
    expect(appliedRows(url)).toEqual(migrations.map((m) => ({ migration_name: m.name, checksum: m.checksum })));
  });

  it("refuses to continue when an applied migration was edited", () => {
    const url = freshUrl();
    const dir = mkdtempSync(path.join(tmpdir(), "tessera-migrations-"));
    cpSync(fileURLToPath(new URL("../../../prisma/sqlite/migrations", import.meta.url)), dir, { recursive: true });
    applyMigrations(url, readMigrations(dir));
    const [first] = readMigrations(dir);
    const file = path.join(dir, first!.name, "migration.sql");
    writeFileSync(file, `${readFileSync(file, "utf8")}\n-- edited`);
    expect(() => applyMigrations(url, readMigrations(dir))).toThrow(/checksum/);
  });

  it("lets two processes start together without applying anything twice", async () => {
    const url = freshUrl();
    const dataDir = path.dirname(url.slice("file:".length));
    const cli = fileURLToPath(new URL("./cli/migrate.ts", import.meta.url));
    const env = { ...process.env, ENV: "test", DATA_DIR: dataDir, DATABASE_URL: url };
    const outputs = await Promise.all([1, 2].map(() => run(process.execPath, ["--import", "tsx", cli], { env })));
    expect(outputs.map((o) => o.stdout).join("")).toMatch(/Applied/);
    expect(appliedRows(url)).toHaveLength(readMigrations().length);
  });
});

describe("createDatabase", () => {
  it("migrates on start and enforces foreign keys", async () => {
    const db = await createDatabase({ url: freshUrl() });
    try {
      await db.ping();
      await expect(
        db.prisma.session.create({ data: { id: "s1", userId: "no-such-user", expiresAt: new Date() } }),
      ).rejects.toThrow();
    } finally {
      await db.close();
    }
  });
});
