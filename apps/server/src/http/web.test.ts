/** The web app at `/`: files, the page for browser paths, and the server's own paths left alone. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createServer, request as httpRequest, type Server } from "node:http";
import { brotliCompressSync, brotliDecompressSync, gzipSync } from "node:zlib";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { webApp } from "./web.ts";

const PAGE = "<!doctype html><title>app</title>";
const HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"; // what a browser's navigation asks for
let dist: string;

/** The web app in front of a stand-in for the rest of the server, which answers whatever it is passed. */
function appServing(folder: string): Server {
  const web = webApp(folder);
  return createServer((req, res) => {
    const [urlPath = "/", query = ""] = (req.url ?? "/").split("?");
    void web(req, res, urlPath, query).then((answered) => {
      if (answered) return;
      res.writeHead(404, { "Content-Type": "application/json" }).end(JSON.stringify({ passedOn: `${req.method} ${urlPath}` }));
    });
  });
}

/** One request to a server made for it; the body parsed as JSON when it is JSON. */
async function request(server: Server, method: string, url: string, accept: string) {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${url}`, { method, headers: { Accept: accept } });
    const text = await res.text();
    const isJson = res.headers.get("content-type")?.startsWith("application/json");
    return { status: res.status, headers: res.headers, text, body: isJson ? JSON.parse(text) : undefined };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

beforeAll(() => {
  dist = mkdtempSync(path.join(tmpdir(), "tessera-web-"));
  mkdirSync(path.join(dist, "assets"));
  writeFileSync(path.join(dist, "index.html"), PAGE);
  writeFileSync(path.join(dist, "assets", "index-abc123.js"), "console.log(1)");
  // As apps/web/scripts/compress.mjs leaves them: compressed copies beside a built asset.
  writeFileSync(path.join(dist, "assets", "index-abc123.js.br"), brotliCompressSync("console.log(1)"));
  writeFileSync(path.join(dist, "assets", "index-abc123.js.gz"), gzipSync("console.log(1)"));
  writeFileSync(path.join(dist, "favicon.svg"), "<svg/>");
});
afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe("webApp", () => {
  it.each(["/", "/tasks", "/admin/users", "/data?prefix=a"])("answers a browser's GET %s with index.html, revalidated each time", async (url) => {
    const res = await request(appServing(dist), "GET", url, HTML);
    expect(res.status).toBe(200);
    expect(res.text).toBe(PAGE);
    expect(res.headers.get("cache-control")).toBe("no-cache");
  });

  it("serves built files; content-hashed assets are cached for good", async () => {
    const asset = await request(appServing(dist), "GET", "/assets/index-abc123.js", "*/*");
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect((await request(appServing(dist), "GET", "/favicon.svg", "*/*")).status).toBe(200);
  });

  it("sends a built asset's compressed copy to a browser that accepts it, with the asset's type", async () => {
    const server = appServing(dist);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const get = (encoding: string) =>
        new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
          const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/assets/index-abc123.js`;
          httpRequest(url, { headers: { "Accept-Encoding": encoding } }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk)).on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
          }).on("error", reject).end();
        });
      const br = await get("gzip, deflate, br");
      expect(br.headers).toMatchObject({ "content-encoding": "br", "content-type": expect.stringMatching(/javascript/), vary: "Accept-Encoding" });
      expect(br.headers["cache-control"]).toContain("immutable");
      expect(brotliDecompressSync(br.body).toString()).toBe("console.log(1)");
      expect((await get("gzip")).headers["content-encoding"]).toBe("gzip");
      const plain = await get("identity");
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.body.toString()).toBe("console.log(1)");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.each([
    ["GET", "/nothing/here", "application/json"],
    ["GET", "/", "*/*"],
    ["GET", "/assets/missing.js", "*/*"],
    ["POST", "/tasks", HTML],
    ["DELETE", "/", HTML],
    ["GET", "/api/nowhere", HTML],
    ["GET", "/trpc/nowhere", HTML],
    ["GET", "/docs/nowhere", HTML],
    ["GET", "/healthz", HTML],
    ["GET", "/API/me", HTML],
  ])("passes %s %s (Accept %s) on to the server", async (method, url, accept) => {
    const res = await request(appServing(dist), method, url, accept);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ passedOn: `${method} ${url}` });
  });

  it("passes everything on while the app is not built", async () => {
    const res = await request(appServing(path.join(dist, "not-built")), "GET", "/tasks", HTML);
    expect(res.body).toEqual({ passedOn: "GET /tasks" });
  });
});

describe("the server with the web app mounted", () => {
  let server: TestServer;
  beforeAll(async () => (server = await startTestServer()));
  afterAll(() => server.stop());

  it.each(["/api/nowhere", "/api/", "/docs/nowhere"])("still answers a browser's GET %s with the JSON 404", async (url) => {
    const res = await fetch(`${server.url}${url}`, { headers: { Accept: HTML } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ status: "error", code: "NOT_FOUND" });
  });

  it("still answers a browser's GET of an unknown procedure with tRPC's NOT_FOUND", async () => {
    const res = await fetch(`${server.url}/trpc/nowhere`, { headers: { Accept: HTML } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { data: { appCode: "NOT_FOUND" } } });
  });
});
