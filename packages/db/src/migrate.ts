import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import Database from "better-sqlite3";
import pg from "pg";
import { isPostgresUrl, sqliteFilePath } from "./url.ts";

// Prisma's own `migrate deploy` needs the native schema engine, which cannot be downloaded here,
// so the committed migration files are applied by this runner, recording them in a table that
// Prisma's CLI recognises (`_prisma_migrations`). Each database has its own migration folder.
// Found from this package's place in the repository, not from this module's file (a production bundle moves it).
const MIGRATIONS_ROOT = path.resolve(path.dirname(createRequire(import.meta.url).resolve("@tessera/db/package.json")), "../../prisma");

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** The committed migrations folder for a DATABASE_URL's database. */
export function migrationsDirFor(databaseUrl: string): string {
  return path.join(MIGRATIONS_ROOT, isPostgresUrl(databaseUrl) ? "postgresql" : "sqlite", "migrations");
}

export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/**
 * Applies pending migrations; returns the names applied. Safe to call from several processes at once.
 * Stops, before applying anything, when an applied migration's file was edited since.
 */
/** The committed migrations of a DATABASE_URL's database, in the order the runner applies them. */
export const committedMigrations = (databaseUrl: string): Migration[] => readMigrations(migrationsDirFor(databaseUrl));

export async function applyMigrations(databaseUrl: string, migrations = committedMigrations(databaseUrl)): Promise<string[]> {
  return isPostgresUrl(databaseUrl) ? applyPostgres(databaseUrl, migrations) : applySqlite(databaseUrl, migrations);
}

/** The migrations not applied yet, after checking that the applied ones are unchanged. */
function pending(migrations: Migration[], applied: Map<string, string>): Migration[] {
  for (const migration of migrations) {
    const known = applied.get(migration.name);
    if (known !== undefined && known !== migration.checksum) {
      throw new Error(`Migration ${migration.name} was changed after it was applied (checksum mismatch).`);
    }
  }
  return migrations.filter((migration) => !applied.has(migration.name));
}

type AppliedRow = { migration_name: string; checksum: string };
const SELECT_APPLIED = `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL`;
const toMap = (rows: AppliedRow[]) => new Map(rows.map((row) => [row.migration_name, row.checksum]));

// Prisma's own DDL for the table on each database, so its CLI (migrate status, dev) reads ours as its own.
const SQLITE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const POSTGRES_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

function applySqlite(databaseUrl: string, migrations: Migration[]): string[] {
  const db = new Database(sqliteFilePath(databaseUrl));
  try {
    db.pragma("busy_timeout = 10000");
    // BEGIN IMMEDIATE takes the write lock up front (waiting out another process's), so a second
    // process waits here and then sees the first one's migrations as applied. Everything, the
    // bookkeeping table included, happens under that lock; WAL mode is set later by createDatabase.
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(SQLITE_MIGRATIONS_TABLE);
      const todo = pending(migrations, toMap(db.prepare(SELECT_APPLIED).all() as AppliedRow[]));
      const record = db.prepare(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES (?, ?, ?, ?, ?, 1)`,
      );
      for (const migration of todo) {
        const startedAt = new Date().toISOString();
        db.exec(migration.sql);
        record.run(randomUUID(), migration.checksum, migration.name, startedAt, new Date().toISOString());
      }
      db.exec("COMMIT");
      return todo.map((migration) => migration.name);
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  } finally {
    db.close();
  }
}

// The advisory lock key Prisma's own migrate commands take, so this runner and the CLI also exclude each other.
const PRISMA_MIGRATE_LOCK = 72707369;

async function applyPostgres(databaseUrl: string, migrations: Migration[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // A session-level lock held for the whole run: a second process waits here, then sees the first one's
    // migrations as applied. (Unlike SQLite, PostgreSQL runs DDL in transactions without locking out others.)
    await client.query(`SELECT pg_advisory_lock(${PRISMA_MIGRATE_LOCK})`);
    try {
      await client.query(POSTGRES_MIGRATIONS_TABLE);
      const todo = pending(migrations, toMap((await client.query<AppliedRow>(SELECT_APPLIED)).rows));
      for (const migration of todo) {
        // One transaction per migration, its record included: a failed one leaves neither tables nor a record,
        // and the ones before it stay applied.
        await client.query("BEGIN");
        try {
          const startedAt = new Date();
          // Parameterless, so pg sends the whole file as one simple-protocol script (several statements).
          await client.query(migration.sql);
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
             VALUES ($1, $2, $3, $4, now(), 1)`,
            [randomUUID(), migration.checksum, migration.name, startedAt],
          );
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
        }
      }
      return todo.map((migration) => migration.name);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${PRISMA_MIGRATE_LOCK})`);
    }
  } finally {
    await client.end();
  }
}
