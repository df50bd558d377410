import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ServiceOverrides } from "@tessera/api";
import { type Config, loadConfig } from "@tessera/config";
import { createTestDatabase } from "@tessera/db/testing";
import { pino } from "pino";
import { type RunningServer, startServer } from "../server.ts";

export interface TestServer extends RunningServer {
  config: Config;
  /** Stops the server and deletes its database. */
  stop(): Promise<void>;
}

/**
 * A real server on an ephemeral port with a fresh database of its own: an SQLite file in a temporary
 * folder, or a new database on the PostgreSQL server when the environment's DATABASE_URL names one.
 */
export async function startTestServer(env: Record<string, string> = {}, overrides: Omit<ServiceOverrides, "logger"> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "tessera-test-"));
  const database = await createTestDatabase(dataDir);
  const config = loadConfig({
    ENV: "test", PORT: "0", DATA_DIR: dataDir, DATABASE_URL: database.url, BCRYPT_COST: "4", LOG_LEVEL: "silent",
    // Tests register many users from one address; the registration throttle's own tests lower this.
    REGISTER_MAX_PER_ADDRESS: "100000",
    // With REDIS_URL in the environment (CI's second run) shared state goes through Redis, in keys of this server's own.
    REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: `tessera-test:${randomUUID()}:`,
    ...env,
  });
  const running = await startServer(config, pino({ level: config.logLevel }), overrides).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  return {
    ...running,
    config,
    async stop() {
      await running.close(); // closes the database's pool first: PostgreSQL refuses to drop a database in use
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
