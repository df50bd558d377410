/**
 * Issue 16, item 15, over real HTTP: uploads were checked by their first bytes only, so a PNG claiming
 * 50000×50000 pixels, a PNG followed by HTML and a bare JPEG header were stored. Each is now 415
 * UNSUPPORTED_MEDIA_TYPE (the contract's answer for anything that is not an acceptable PNG, JPEG or WebP) and
 * nothing of it is kept; the valid uploads of before are still accepted.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { crc32 } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, expectSuccess } from "../testing/http.ts";
import { jpeg, png, productOf, uploadImage, webp } from "../testing/images.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { account } from "../testing/accounts.ts";

let server: TestServer;
let seller: string;
let product: string;
const stored = () => {
  const folder = path.join(server.config.dataDir, "images");
  return existsSync(folder) ? readdirSync(folder).sort() : [];
};

/** A well-formed PNG whose IHDR claims `width` × `height` (its IHDR CRC recomputed). */
function claiming(width: number, height: number): Buffer {
  const bytes = Buffer.from(png());
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  bytes.writeUInt32BE(crc32(bytes.subarray(12, 29)), 29);
  return bytes;
}

beforeAll(async () => {
  server = await startTestServer();
  seller = (await account(server.url, { role: "seller" })).token;
  product = await productOf(server.url, seller);
});
afterAll(() => server?.stop());

describe("image uploads are checked by header and structure", () => {
  it.each([
    ["a PNG claiming 50000×50000 pixels", () => claiming(50_000, 50_000), /50000×50000 pixels, more than the 40000000/],
    ["a PNG followed by HTML", () => Buffer.concat([png(), Buffer.from("<!doctype html><script>alert(1)</script>")]), /data after the end/],
    ["a bare JPEG header", () => Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]), /ends before the image does/],
  ])("refuses %s with 415 and keeps nothing", async (_what, bytes, reason) => {
    const before = stored();
    const reply = await uploadImage(server.url, seller, product, bytes());
    expectError(reply, 415, "UNSUPPORTED_MEDIA_TYPE");
    expect(reply.body.message).toMatch(reason);
    expect(stored()).toEqual(before);
  });

  it("still accepts the PNG, JPEG and WebP files it accepted before, and a 7000×5000 PNG (35 MP)", async () => {
    for (const bytes of [png(), jpeg(), webp(), claiming(7_000, 5_000)]) expectSuccess(await uploadImage(server.url, seller, product, bytes), 201);
  });
});
