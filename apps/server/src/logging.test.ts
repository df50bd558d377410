import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { loadConfig } from "@tessera/config";
import { createTestDatabase, type TestDatabase } from "@tessera/db/testing";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "./server.ts";
import { account } from "./testing/accounts.ts";

const lines: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...chunk.toString().split("\n").filter(Boolean));
    done();
  },
});
let server: RunningServer;
let dataDir: string;
let database: TestDatabase;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "tessera-logging-"));
  // A fresh database of its own: SQLite in dataDir, or a new one on the PostgreSQL server of DATABASE_URL.
  database = await createTestDatabase(dataDir);
  const config = loadConfig({ ENV: "test", PORT: "0", DATA_DIR: dataDir, DATABASE_URL: database.url, BCRYPT_COST: "4" });
  server = await startServer(config, pino({ level: "info" }, sink));
});
afterAll(async () => {
  await server?.close(); // closes the pool before the drop
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("request logs", () => {
  it("write one JSON line per request with its id, and never a password or token", async () => {
    const user = await account(server.url);
    const token = user.tokens.access_token;
    const params = encodeURIComponent(JSON.stringify({ authorization: `Bearer ${token}` }));
    await fetch(`${server.url}/trpc/auth.me?connectionParams=${params}`, { headers: { "X-Request-Id": "log-check-1" } });
    await fetch(`${server.url}/api/me`, { headers: { Authorization: `Bearer ${token}`, "X-Request-Id": "log-check-2" } });

    const requests = lines.map((line) => JSON.parse(line)).filter((entry) => entry.req);
    expect(requests.map((entry) => entry.req.id)).toEqual(expect.arrayContaining(["log-check-1", "log-check-2"]));
    const everything = lines.join("\n");
    for (const secret of [token, user.tokens.refresh_token, user.input.password]) expect(everything).not.toContain(secret);
  });
});
