/**
 * Compression: JSON answers from 1 KiB are compressed for clients that accept brotli or gzip, smaller ones and event
 * streams never are; the web app's assets go out as their build-time .br/.gz copies; /docs' Swagger UI compressed.
 */
import { request } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./testing/server.ts";
import { account } from "./testing/accounts.ts";

/** A GET without fetch's transparent decompression: the bytes and headers as sent. */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    })
      .on("error", reject)
      .end();
  });
}

let server: TestServer;
beforeAll(async () => (server = await startTestServer()));
afterAll(() => server.stop());

describe("compression", () => {
  it("compresses a large JSON answer with the encoding the client prefers, and only then", async () => {
    const plain = await rawGet(`${server.url}/api/openapi.json`);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(50_000);
    const br = await rawGet(`${server.url}/api/openapi.json`, { "Accept-Encoding": "gzip, deflate, br" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers.vary).toMatch(/Accept-Encoding/);
    expect(Number(br.headers["content-length"])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(plain.body.length / 4);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    const gz = await rawGet(`${server.url}/api/openapi.json`, { "Accept-Encoding": "gzip;q=1, br;q=0.5" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect((await rawGet(`${server.url}/api/openapi.json`, { "Accept-Encoding": "identity" })).headers["content-encoding"]).toBeUndefined();
  });

  it("compresses procedure answers over 1 KiB, on REST and tRPC, but not small ones", async () => {
    const { tokens } = await account(server.url);
    const auth = { Authorization: `Bearer ${tokens.access_token}`, "Content-Type": "application/json" };
    await fetch(`${server.url}/api/data`, { method: "POST", headers: auth, body: JSON.stringify({ key: "big", value: "x".repeat(4000) }) });
    const rest = await rawGet(`${server.url}/api/data/big`, { ...auth, "Accept-Encoding": "br" });
    expect(rest.headers["content-encoding"]).toBe("br");
    expect(JSON.parse(brotliDecompressSync(rest.body).toString()).data.value).toHaveLength(4000);
    const trpc = await rawGet(`${server.url}/trpc/data.get?input=${encodeURIComponent(JSON.stringify({ key: "big" }))}`, { ...auth, "Accept-Encoding": "gzip" });
    expect(trpc.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(gunzipSync(trpc.body).toString()).result.data.data.value).toHaveLength(4000);
    const small = await rawGet(`${server.url}/healthz`, { "Accept-Encoding": "br, gzip" });
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(small.body.toString()).toBe('{"status":"success"}');
  });

  it("never compresses an event stream", async () => {
    const { tokens } = await account(server.url);
    const stream = await new Promise<{ headers: Record<string, unknown>; close(): void }>((resolve, reject) => {
      const req = request(`${server.url}/trpc/tasks.onChange`, { headers: { Accept: "text/event-stream", "Accept-Encoding": "br, gzip", Authorization: `Bearer ${tokens.access_token}` } }, (res) =>
        resolve({ headers: res.headers, close: () => req.destroy() }),
      ).on("error", reject);
      req.end();
    });
    expect(stream.headers["content-type"]).toMatch(/^text\/event-stream/);
    expect(stream.headers["content-encoding"]).toBeUndefined();
    stream.close();
  });

  it("sends /docs' Swagger UI compressed", async () => {
    const bundle = await rawGet(`${server.url}/docs/assets/swagger-ui-bundle.js`, { "Accept-Encoding": "br" });
    expect(bundle.status).toBe(200);
    expect(bundle.headers["content-encoding"]).toBe("br");
    expect(bundle.headers["content-type"]).toMatch(/javascript/);
    expect(brotliDecompressSync(bundle.body).toString()).toContain("SwaggerUIBundle");
  });
});
