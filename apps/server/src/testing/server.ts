import type { ServiceOverrides } from "@tessera/api";
import { testEnvironment } from "@tessera/api/testing";
import type { Config } from "@tessera/config";
import { pino } from "pino";
import { afterAll } from "vitest";
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
  const { config, dispose } = await testEnvironment({ PORT: "0", ...env });
  const running = await startServer(config, pino({ level: config.logLevel }), overrides).catch(async (error: unknown) => {
    await dispose();
    throw error;
  });
  return {
    ...running,
    config,
    async stop() {
      await running.close(); // closes the database's pool first: PostgreSQL refuses to drop a database in use
      await dispose();
    },
  };
}

/** Servers a file starts as its tests need them (each with its own variables), all stopped after the file's tests. */
export function testServers(): (env?: Record<string, string>) => Promise<TestServer> {
  const started: TestServer[] = [];
  afterAll(() => Promise.all(started.splice(0).map((server) => server.stop())));
  return async (env = {}) => {
    const server = await startTestServer(env);
    started.push(server);
    return server;
  };
}
