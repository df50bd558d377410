import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Config, loadConfig } from "@tessera/config";
import { pino } from "pino";
import { type RunningServer, startServer } from "../server.ts";

export interface TestServer extends RunningServer {
  config: Config;
  /** Stops the server and deletes its database. */
  stop(): Promise<void>;
}

/** A real server on an ephemeral port with a fresh SQLite database of its own. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "tessera-test-"));
  const config = loadConfig({ ENV: "test", PORT: "0", DATA_DIR: dataDir, BCRYPT_COST: "4", LOG_LEVEL: "silent", ...env });
  const running = await startServer(config, pino({ level: config.logLevel }));
  return {
    ...running,
    config,
    async stop() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
