/**
 * The benchmark's floor (bench/floor.ts) must answer `GET /api/data/{key}` as Tessera does, for tokens Tessera
 * issues, or comparing the two means nothing. Cheap: one server, one floor on a one-table SQLite file.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFloorServer } from "../../../bench/floor.ts";
import { call, decodeJwt } from "./testing/http.ts";
import { startTestServer, type TestServer } from "./testing/server.ts";
import { account } from "./testing/accounts.ts";

const secret = randomBytes(32).toString("base64url");
let server: TestServer;
let floor: Server;
let floorUrl: string;
let dir: string;
let token: string;

beforeAll(async () => {
  server = await startTestServer({ JWT_SECRET: secret });
  token = (await account(server.url)).tokens.access_token;
  await call(server.url, "POST", "/api/data", { token, json: { key: "a/b é", value: "the value" } });

  dir = mkdtempSync(path.join(tmpdir(), "tessera-floor-"));
  const file = path.join(dir, "floor.db");
  const db = new Database(file);
  db.exec("CREATE TABLE data_entries (owner_id TEXT, key TEXT, value TEXT, PRIMARY KEY (owner_id, key))");
  db.prepare("INSERT INTO data_entries VALUES (?, ?, ?)").run(decodeJwt(token).payload.sub, "a/b é", "the value");
  db.close();
  floor = createFloorServer({ databaseFile: file, secret });
  await new Promise<void>((resolve) => floor.listen(0, "127.0.0.1", resolve));
  floorUrl = `http://127.0.0.1:${(floor.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => floor?.close(resolve));
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the benchmark's floor", () => {
  it("answers a GET of a key with the body Tessera answers, for Tessera's token", async () => {
    const path = `/api/data/${encodeURIComponent("a/b é")}`;
    const [real, cheap] = await Promise.all([call(server.url, "GET", path, { token }), call(floorUrl, "GET", path, { token })]);
    expect(real.status).toBe(200);
    expect(cheap.status).toBe(200);
    expect(cheap.body).toEqual(real.body);
  });

  it("refuses a token with a changed signature and answers 404 for a missing key", async () => {
    const forged = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
    expect((await call(floorUrl, "GET", "/api/data/x", { token: forged })).status).toBe(401);
    expect((await call(floorUrl, "GET", "/api/data/missing", { token })).status).toBe(404);
  });
});
