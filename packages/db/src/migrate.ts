import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { sqliteFilePath } from "./url.ts";

// Prisma's own `migrate deploy` needs the native schema engine, which cannot be downloaded here,
// so the committed migration files are applied by this runner, recording them in a table that
// Prisma's CLI recognises (`_prisma_migrations`).
const MIGRATIONS_DIR = fileURLToPath(new URL("../../../prisma/sqlite/migrations", import.meta.url));

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** Applies pending migrations; returns the names applied. Safe to call from several processes at once. */
export function applyMigrations(databaseUrl: string, migrations = readMigrations()): string[] {
  const db = new Database(sqliteFilePath(databaseUrl));
  try {
    db.pragma("busy_timeout = 10000");
    // BEGIN IMMEDIATE takes the write lock up front (waiting out another process's), so a second
    // process waits here and then sees the first one's migrations as applied. Everything, the
    // bookkeeping table included, happens under that lock; WAL mode is set later by createDatabase.
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(CREATE_MIGRATIONS_TABLE);
      const applied = new Map(
        (db.prepare(`SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL`)
          .all() as { migration_name: string; checksum: string }[]).map((row) => [row.migration_name, row.checksum]),
      );
      const record = db.prepare(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES (?, ?, ?, ?, ?, 1)`,
      );
      const appliedNow: string[] = [];
      for (const migration of migrations) {
        const known = applied.get(migration.name);
        if (known !== undefined) {
          if (known !== migration.checksum) {
            throw new Error(`Migration ${migration.name} was changed after it was applied (checksum mismatch).`);
          }
          continue;
        }
        const startedAt = new Date().toISOString();
        db.exec(migration.sql);
        record.run(randomUUID(), migration.checksum, migration.name, startedAt, new Date().toISOString());
        appliedNow.push(migration.name);
      }
      db.exec("COMMIT");
      return appliedNow;
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  } finally {
    db.close();
  }
}
