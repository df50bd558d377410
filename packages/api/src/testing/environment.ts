import { randomUUID } from "node:crypto";
import { type Config, loadConfig } from "@tessera/config";
import { createTestDataDir } from "@tessera/db/testing";

export interface TestEnvironment {
  /** A test configuration over the fresh database, with the caller's variables applied last. */
  config: Config;
  /** Drops the database and deletes the temporary folder. Close every client of the database first. */
  dispose(): Promise<void>;
}

/**
 * The one place tests get a configuration with a fresh database of their own: an SQLite file in a new
 * temporary folder, or a new database on the PostgreSQL server when the environment's DATABASE_URL names
 * one; with REDIS_URL set (CI's second run), shared state goes through Redis under keys of its own.
 * Used by the API's createCaller services and by the server's test server.
 */
export async function testEnvironment(env: Record<string, string | undefined> = {}): Promise<TestEnvironment> {
  const { dataDir, url, dispose } = await createTestDataDir("tessera-test-");
  const config = loadConfig({
    ENV: "test", DATA_DIR: dataDir, DATABASE_URL: url, BCRYPT_COST: "4", LOG_LEVEL: "silent",
    // Tests register many users from one address; the registration throttle's own tests lower this.
    REGISTER_MAX_PER_ADDRESS: "100000",
    REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: `tessera-test:${randomUUID()}:`,
    ...env,
  });
  return { config, dispose };
}
