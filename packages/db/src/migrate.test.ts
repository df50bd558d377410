import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase } from "./database.ts";
import { applyMigrations, committedMigrations, migrationsDirFor, readMigrations } from "./migrate.ts";
import { createTestDatabase, type TestDatabaseOptions, testPostgresUrl } from "./testing.ts";

const run = promisify(execFile);
const tempDir = (prefix: string) => mkdtempSync(path.join(tmpdir(), prefix));
type Row = { migration_name: string; checksum: string };

interface Backend {
  name: string;
  /** A fresh, empty database's URL. */
  fresh(options?: TestDatabaseOptions): Promise<string>;
  appliedRows(url: string): Promise<Row[]>;
}

const SELECT_ROWS = `SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`;

const sqlite: Backend = {
  name: "SQLite",
  // A folder that does not exist yet: the runner creates it.
  fresh: async () => `file:${path.join(tempDir("tessera-db-"), "nested", "test.db")}`,
  appliedRows: async (url) => {
    const db = new Database(url.slice("file:".length), { readonly: true });
    try {
      return db.prepare(SELECT_ROWS).all() as Row[];
    } finally {
      db.close();
    }
  },
};

const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of drops) await drop();
});

const postgres: Backend = {
  name: "PostgreSQL",
  fresh: async (options) => {
    const db = await createTestDatabase(tempDir("tessera-db-"), options);
    drops.push(db.drop);
    return db.url;
  },
  appliedRows: async (url) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<Row>(SELECT_ROWS)).rows;
    } finally {
      await client.end();
    }
  },
};

// SQLite always; PostgreSQL too when DATABASE_URL names a server (CI's second run).
const backends = testPostgresUrl() === undefined ? [sqlite] : [sqlite, postgres];

describe.each(backends)("applyMigrations on $name", (backend) => {
  it("applies every committed migration once, recording Prisma-compatible checksums", async () => {
    const url = await backend.fresh();
    const migrations = committedMigrations(url);
    expect(migrations.length).toBeGreaterThan(0);
    expect(await applyMigrations(url)).toEqual(migrations.map((m) => m.name));
    expect(await applyMigrations(url)).toEqual([]);
    expect(await backend.appliedRows(url)).toEqual(migrations.map((m) => ({ migration_name: m.name, checksum: m.checksum })));
  });

  it("refuses to continue when an applied migration was edited", async () => {
    const url = await backend.fresh();
    const dir = tempDir("tessera-migrations-");
    cpSync(migrationsDirFor(url), dir, { recursive: true });
    await applyMigrations(url, readMigrations(dir));
    const [first] = readMigrations(dir);
    const file = path.join(dir, first!.name, "migration.sql");
    writeFileSync(file, `${readFileSync(file, "utf8")}\n-- edited`);
    await expect(applyMigrations(url, readMigrations(dir))).rejects.toThrow(/checksum/);
  });

  it("lets two processes start together without applying anything twice", async () => {
    const url = await backend.fresh();
    const cli = fileURLToPath(new URL("./cli/migrate.ts", import.meta.url));
    const env = { ...process.env, ENV: "test", DATA_DIR: tempDir("tessera-db-"), DATABASE_URL: url };
    const outputs = await Promise.all([1, 2].map(() => run(process.execPath, ["--import", "tsx", cli], { env })));
    const stdout = outputs.map((o) => o.stdout);
    // Exactly one of them applied the migrations; the other waited for the lock and found nothing to do.
    expect(stdout.filter((out) => /Applied/.test(out))).toHaveLength(1);
    expect(stdout.filter((out) => /No pending migrations/.test(out))).toHaveLength(1);
    expect(await backend.appliedRows(url)).toHaveLength(committedMigrations(url).length);
  });
});

describe.each(backends)("createDatabase on $name", (backend) => {
  it("migrates on start and enforces foreign keys", async () => {
    const db = await createDatabase({ url: await backend.fresh(), poolMax: 2 });
    try {
      await db.ping();
      const now = new Date();
      await expect(
        db.kysely.insertInto("sessions").values({ id: "s1", user_id: "no-such-user", created_at: now, expires_at: now }).execute(),
      ).rejects.toThrow();
    } finally {
      await db.close();
    }
  });

  it("orders keys in code-point order, as the data list's prefix ranges assume, whatever the server's collation", async () => {
    // On PostgreSQL, a database whose default collation is a locale's: the migration's COLLATE "C" must win.
    const db = await createDatabase({ url: await backend.fresh({ icuLocale: "en-US" }) });
    try {
      const now = new Date();
      await db.kysely
        .insertInto("users")
        .values({ id: "u1", username: "u", username_key: "u", email: "u@example.com", password_hash: "x", full_name: "U", gender: "other", created_at: now })
        .execute();
      // A locale collation would put "a" next to "B" and ignore the "-"; code-point order does not.
      const keys = ["b", "B", "a-c", "ab", "a", "é", "Z", "_"];
      for (const key of keys) {
        await db.kysely.insertInto("data_entries").values({ owner_id: "u1", key, value: "", created_at: now, updated_at: now }).execute();
      }
      const rows = await db.kysely.selectFrom("data_entries").select("key").orderBy("key").execute();
      expect(rows.map((row) => row.key)).toEqual(["B", "Z", "_", "a", "a-c", "ab", "b", "é"]);
      // The same order decides ranges (the prefix filter and keyset cursors), not just ORDER BY.
      const range = await db.kysely.selectFrom("data_entries").select("key").where("key", ">=", "a").where("key", "<", "b").orderBy("key").execute();
      expect(range.map((row) => row.key)).toEqual(["a", "a-c", "ab"]);
    } finally {
      await db.close();
    }
  });
});
