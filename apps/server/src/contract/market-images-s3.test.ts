/**
 * Product images with IMAGE_STORAGE=s3 over real HTTP, against a real S3-compatible server process (s3rver on
 * loopback): the same answers as the local driver (type, length, strong ETag, immutable Cache-Control, 304, HEAD),
 * the bytes in the bucket under S3_KEY_PREFIX, deletion; and an endpoint that does not answer: 503 NOT_READY, a
 * clear log line, and nothing half-written (no row, no object, no spooled file).
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createS3ImageStorage } from "@tessera/api";
import { closedPort, type S3TestServer, startS3TestServer } from "@tessera/api/testing";
import { loadConfig } from "@tessera/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, expectError, expectSuccess } from "../testing/http.ts";
import { jpeg, png, productOf, uploadImage, webp } from "../testing/images.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { account } from "../testing/accounts.ts";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3TestServer();
});
afterAll(() => s3?.destroy());

describe("IMAGE_STORAGE=s3", () => {
  let server: TestServer;
  let seller: string;
  let productId: string;
  const prefix = `catalog-${randomUUID()}/`;

  beforeAll(async () => {
    server = await startTestServer(s3.env(prefix));
    seller = (await account(server.url, { role: "seller" })).token;
    productId = await productOf(server.url, seller);
  });
  afterAll(() => server?.stop());

  it.each([
    ["PNG", png([12, 34, 56, 255], 300_000), "image/png"],
    ["JPEG", jpeg(), "image/jpeg"],
    ["WebP", webp(), "image/webp"],
  ])("stores a %s as one object in the bucket and serves it with the local driver's headers", async (_kind, bytes, type) => {
    const reply = await uploadImage(server.url, seller, productId, bytes);
    expectSuccess(reply, 201);
    const { image_id, url } = reply.body.data;
    expect(await s3.keys(prefix)).toContain(`${prefix}${image_id}`);
    expect((await s3.bytes(`${prefix}${image_id}`)).equals(bytes)).toBe(true);

    const res = await fetch(`${server.url}${url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(type);
    expect(res.headers.get("content-length")).toBe(String(bytes.length));
    expect(res.headers.get("etag")).toBe(`"${sha256(bytes)}"`);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);

    const revalidated = await fetch(`${server.url}${url}`, { headers: { "if-none-match": `"${sha256(bytes)}"` } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("etag")).toBe(`"${sha256(bytes)}"`);
    expect(revalidated.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await revalidated.text()).toBe("");
    const head = await fetch(`${server.url}${url}`, { method: "HEAD" });
    expect([head.status, head.headers.get("content-length")]).toEqual([200, String(bytes.length)]);
  });

  it("deletes the object with the image, and refuses what is not an image before anything reaches the bucket", async () => {
    const product = await productOf(server.url, seller);
    const { image_id } = (await uploadImage(server.url, seller, product, png())).body.data;
    expectSuccess(await call(server.url, "DELETE", `/api/products/${product}/images/${image_id}`, { token: seller }));
    expect(await s3.keys(prefix)).not.toContain(`${prefix}${image_id}`);
    expectError(await call(server.url, "GET", `/api/images/${image_id}`), 404, "IMAGE_NOT_FOUND");

    const before = await s3.keys();
    expectError(await uploadImage(server.url, seller, product, Buffer.concat([png(), Buffer.from("<html>")])), 415, "UNSUPPORTED_MEDIA_TYPE");
    expectError(await uploadImage(server.url, seller, product, png([9, 9, 9, 255], 5 * 1024 * 1024 + 1)), 413, "IMAGE_TOO_LARGE");
    expect(await s3.keys()).toEqual(before);
  });
});


describe("IMAGE_STORAGE=s3 with an endpoint that does not answer", () => {
  let server: TestServer;
  let spoolDir: string;

  beforeAll(async () => {
    const env = { ...s3.env("down/"), S3_ENDPOINT: `http://127.0.0.1:${await closedPort()}` };
    // The driver the configuration makes, with its upload spool in a folder of this test's own (to look into).
    spoolDir = mkdtempSync(path.join(tmpdir(), "tessera-spool-"));
    const images = createS3ImageStorage(loadConfig({ ENV: "test", ...env }).s3!, { spoolDir });
    server = await startTestServer(env, { images });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it("answers an upload and a read with 503 NOT_READY; the upload leaves no row, no object and no temporary file", async () => {
    const seller = (await account(server.url, { role: "seller" })).token;
    const product = await productOf(server.url, seller);
    const before = await s3.keys();

    const reply = await uploadImage(server.url, seller, product, png([1, 2, 3, 255], 200_000));
    expectError(reply, 503, "NOT_READY");
    expect(reply.body.message).toBe("Image storage is unavailable: try again later.");
    expect((await call(server.url, "GET", `/api/products/${product}`)).body.data.images).toEqual([]);
    expect(await server.services.db.kysely.selectFrom("product_images").select("id").execute()).toEqual([]);
    expect(await s3.keys()).toEqual(before);
    expect(readdirSync(spoolDir)).toEqual([]);
    // Reading is the same 503, before any header of the image is sent.
    await server.services.db.kysely.insertInto("product_images").values({
      id: randomUUID(), product_id: product, storage_key: randomUUID(), content_type: "image/png", byte_size: 1, sha256: "0".repeat(64), position: 0, created_at: new Date(),
    }).execute();
    const [image] = (await call(server.url, "GET", `/api/products/${product}`)).body.data.images;
    const read = await call(server.url, "GET", image.url);
    expectError(read, 503, "NOT_READY");
    expect(read.headers.get("etag")).toBeNull();
  });
});
