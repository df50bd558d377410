import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "@tessera/config";
import { createDatabase } from "@tessera/db";
import { createCaller } from "./root.ts";
import { createServices, type Services } from "./services/index.ts";
import { createContext, type RequestInfo } from "./trpc.ts";

/** Real services over a fresh SQLite database in a temporary folder, for createCaller tests. */
export async function createTestServices(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "tessera-api-test-"));
  const config = loadConfig({ ENV: "test", DATA_DIR: dataDir, BCRYPT_COST: "4", ...env });
  const db = await createDatabase({ url: config.databaseUrl });
  const services: Services = createServices(config, db);
  return {
    services,
    config,
    caller: (request: Partial<RequestInfo> = {}) =>
      createCaller(createContext(services, { transport: "trpc", requestId: "test", clientAddress: "127.0.0.1", authorization: undefined, ...request })),
    async cleanup() {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
