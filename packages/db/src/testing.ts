import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { isPostgresUrl } from "./url.ts";

// Test helpers shared by every package's tests (`@tessera/db/testing`): the one place that creates and
// drops per-test databases. Tests run against PostgreSQL when the environment's DATABASE_URL is a
// postgres URL (CI's second run), against SQLite otherwise.

export interface TestDatabase {
  /** DATABASE_URL of a fresh, empty database that belongs to this one caller. */
  url: string;
  /** Drops the database (PostgreSQL). Close every client of it first; SQLite's file goes with its folder. */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /**
   * PostgreSQL only: give the database this ICU locale's collation (e.g. "en-US", as many production servers
   * have), to show that what depends on code-point order does not depend on the server's default collation.
   */
  icuLocale?: string;
}

/**
 * The server tests run against, from the environment: a postgres URL, or undefined for SQLite. Read here
 * (tests only) because test helpers build their configs from explicit values, never from process.env.
 */
export function testPostgresUrl(): string | undefined {
  const url = process.env.DATABASE_URL;
  return url !== undefined && isPostgresUrl(url) ? url : undefined;
}

/**
 * A fresh database: a new, randomly named one on the PostgreSQL server of DATABASE_URL when that is a
 * postgres URL, else an SQLite file in `dataDir` (the caller's temporary folder). An unreachable
 * PostgreSQL server throws: a test must fail, not quietly fall back to SQLite.
 */
export async function createTestDatabase(dataDir: string, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = testPostgresUrl();
  if (serverUrl === undefined) return { url: `file:${path.join(dataDir, "tessera.db")}`, drop: async () => {} };
  const name = `tessera_test_${randomBytes(8).toString("hex")}`;
  const locale = options.icuLocale && ` TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '${options.icuLocale.replace(/[^\w-]/g, "")}'`;
  await admin(serverUrl, `CREATE DATABASE "${name}"${locale ?? ""}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    url: url.toString(),
    // FORCE ends connections still open, e.g. those of a killed server process that the server has not
    // noticed yet; a pool that was closed properly has none left.
    drop: () => (dropped ??= admin(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}

export interface TestDataDir extends TestDatabase {
  /** The new temporary folder: the SQLite file's home, and the DATA_DIR of a test configuration. */
  dataDir: string;
  /** Drops the database and deletes the folder. Close every client of the database first. */
  dispose(): Promise<void>;
}

/** A new temporary folder (named from `prefix`) with a fresh database of its own, as createTestDatabase makes one. */
export async function createTestDataDir(prefix = "tessera-test-", options: TestDatabaseOptions = {}): Promise<TestDataDir> {
  const dataDir = mkdtempSync(path.join(tmpdir(), prefix));
  const database = await createTestDatabase(dataDir, options);
  return {
    ...database,
    dataDir,
    async dispose() {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs one statement over a short-lived connection to the database named in DATABASE_URL (CI's throwaway one). */
async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
