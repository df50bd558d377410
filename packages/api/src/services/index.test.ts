/** createServices picks the Redis implementations with config.redisUrl, and only then. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "@tessera/config";
import { createDatabase, type Database } from "@tessera/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServices } from "./index.ts";
import { closedPort, randomPrefix, rawClient, silentLogger, TEST_REDIS_URL } from "../testing/index.ts";

let dataDir: string;
let db: Database;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "tessera-services-test-"));
  db = await createDatabase({ url: `file:${path.join(dataDir, "tessera.db")}` });
});
afterAll(async () => {
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const configWith = (env: Record<string, string>) => loadConfig({ ENV: "test", DATA_DIR: dataDir, BCRYPT_COST: "4", ...env }, dataDir);

describe("createServices", () => {
  it("keeps everything in this process without REDIS_URL, and is ready with the database alone", async () => {
    const services = createServices(configWith({}), db);
    await expect(services.ready()).resolves.toBeUndefined();
    await services.close();
  });

  it("publishes task events to Redis, under the given prefix, with REDIS_URL", async () => {
    const prefix = randomPrefix();
    const services = createServices(configWith({ REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix }), db, { logger: silentLogger });
    const raw = rawClient();
    try {
      await services.ready();
      await raw.subscribe(`${prefix}task-events:alice`);
      const message = new Promise<string>((resolve) => raw.once("message", (_channel: string, text: string) => resolve(text)));
      await services.taskEvents.publish("alice", { type: "deleted", id: "t1" });
      expect(JSON.parse(await message)).toEqual({ type: "deleted", id: "t1" });
    } finally {
      raw.disconnect();
      await services.close();
    }
  });

  it("is not ready while Redis does not answer", async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    const services = createServices(configWith({ REDIS_URL: url, REDIS_KEY_PREFIX: randomPrefix() }), db, { logger: silentLogger });
    try {
      await expect(services.ready()).rejects.toThrow();
    } finally {
      await services.close();
    }
  });
});
