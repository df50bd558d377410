/**
 * The floor: the cheapest server that can answer `GET /api/data/{key}` as Tessera does. Plain node:http,
 * the HS256 access token verified by hand (node:crypto), one prepared better-sqlite3 statement, JSON out.
 * No session check, no logging, no validation framework: what Node itself can do on this machine.
 * `GET /healthz` here is bare node:http answering a constant JSON body: the yardstick of Tessera's /healthz.
 *
 * Run as its own process: `tsx bench/floor.ts` with FLOOR_DB (SQLite file), JWT_SECRET and PORT; it prints
 * `listening <url>` once ready. bench/run.ts compares every scenario to it.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";

const PATH_PREFIX = "/api/data/";

/** The `sub` of a valid, unexpired HS256 access token, else null. */
export function verifyAccessToken(token: string, secret: string, nowSeconds = Date.now() / 1000): string | null {
  const [header, payload, signature] = token.split(".");
  if (header === undefined || payload === undefined || signature === undefined) return null;
  const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    if (JSON.parse(Buffer.from(header, "base64url").toString()).alg !== "HS256") return null;
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    if (claims.typ !== "access" || typeof claims.sub !== "string" || !(claims.exp > nowSeconds)) return null;
    return claims.sub;
  } catch {
    return null;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(json) });
  res.end(json);
}

export function createFloorServer(options: { databaseFile: string; secret: string }): Server {
  const db = new Database(options.databaseFile, { readonly: true });
  const select = db.prepare<[string, string], { key: string; value: string }>(
    "SELECT key, value FROM data_entries WHERE owner_id = ? AND key = ?",
  );
  const server = createServer((req, res) => {
    const url = req.url ?? "";
    if (url === "/healthz") return send(res, 200, { status: "success" });
    if (req.method !== "GET" || !url.startsWith(PATH_PREFIX)) return send(res, 404, { status: "error", code: "NOT_FOUND" });
    const authorization = req.headers.authorization ?? "";
    const userId = authorization.startsWith("Bearer ") ? verifyAccessToken(authorization.slice(7), options.secret) : null;
    if (userId === null) return send(res, 401, { status: "error", code: "INVALID_TOKEN" });
    let key: string;
    try {
      key = decodeURIComponent(url.slice(PATH_PREFIX.length));
    } catch {
      return send(res, 400, { status: "error", code: "INVALID_KEY" });
    }
    const entry = select.get(userId, key);
    if (!entry) return send(res, 404, { status: "error", code: "KEY_NOT_FOUND" });
    send(res, 200, { status: "success", data: entry });
  });
  server.on("close", () => db.close());
  return server;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const server = createFloorServer({ databaseFile: process.env.FLOOR_DB!, secret: process.env.JWT_SECRET! });
  server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
    console.log(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  process.once("SIGTERM", () => server.close(() => process.exit(0)));
}
