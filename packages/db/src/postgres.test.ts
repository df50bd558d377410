/** PostgreSQL's pool (CI's second run, where DATABASE_URL names a server): a connection the server ends is replaced. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase } from "./database.ts";
import { createTestDatabase, testPostgresUrl } from "./testing.ts";

const dataDir = mkdtempSync(path.join(tmpdir(), "tessera-pg-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe.runIf(testPostgresUrl() !== undefined)("the PostgreSQL pool", () => {
  it("survives the server ending its idle connections, and answers again", async () => {
    const database = await createTestDatabase(dataDir);
    const told: Error[] = [];
    const db = await createDatabase({ url: database.url, poolMax: 2, onIdleError: (error) => told.push(error) });
    try {
      await sql`SELECT 1`.execute(db.kysely);
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      try {
        await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
      } finally {
        await admin.end();
      }
      await expect.poll(() => told.length).toBeGreaterThan(0);
      await db.ping();
    } finally {
      await db.close();
      await database.drop();
    }
  });
});
