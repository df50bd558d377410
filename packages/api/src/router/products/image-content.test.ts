/**
 * What an upload must be (issue 16, item 15): a PNG, JPEG or WebP whose header parses as that type, within the
 * pixel limit, and whose structure runs exactly from its first byte to its last. Checked as the bytes stream:
 * nothing of a refused upload stays stored.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppError } from "../../envelope.ts";
import { account, type Caller, createTestServices, pngBytes, rejection, SAMPLES, type TestEnv } from "../../testing/index.ts";
import { createContext } from "../../trpc.ts";
import { storeImage } from "./images.handler.ts";

let env: TestEnv;
let seller: Caller;
let productId: string;

/** The bytes as an upload delivers them: in pieces (here 1,000 bytes, so that every check meets a boundary). */
async function* pieces(bytes: Buffer, size = 1_000): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}
const ctx = () => createContext(env.services, { requestId: "t", clientAddress: "127.0.0.1", authorization: undefined });
const store = (bytes: Buffer) => storeImage(ctx(), productId, pieces(bytes));
const folder = () => path.join(env.config.dataDir, "images");
const files = () => (existsSync(folder()) ? readdirSync(folder()).sort() : []);

async function refused(bytes: Buffer): Promise<AppError> {
  const before = files();
  const error = await rejection(store(bytes));
  expect(files()).toEqual(before); // nothing stored, no partial file left
  return error;
}

beforeAll(async () => {
  env = await createTestServices({ IMAGE_MAX_PIXELS: "40000000" });
  ({ caller: seller } = await account(env, { role: "seller", storeName: "Pixels" }));
  productId = (await seller.products.create({ name: "Canvas", price_cents: 1 })).data.id;
});
afterAll(() => env?.cleanup());

/** The smallest JPEG (1×1) with its end marker: SOI, APP0, DQT, SOF2, DHT, SOS, two bytes of scan, EOI. */
const JPEG = Buffer.from(
  "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////" +
    "wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxD/2Q==",
  "base64",
);
const WEBP = Buffer.from("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==", "base64");
const HTML = Buffer.from("<html><script>alert(document.domain)</script></html>");

describe("uploads that are refused with 415 UNSUPPORTED_MEDIA_TYPE", () => {
  it("a PNG whose header claims 50000×50000 pixels (2.5 gigapixels; the limit is 40 MP)", async () => {
    const error = await refused(pngBytes(50_000, 50_000));
    expect(error.appCode).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(error.message).toMatch(/50000×50000 pixels, more than the 40000000/);
  });

  it("a PNG followed by HTML", async () => {
    const error = await refused(Buffer.concat([pngBytes(), HTML]));
    expect(error.appCode).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(error.message).toMatch(/data after the end of the image/);
  });

  it("a bare JPEG header (SOI and the start of APP0), and a JPEG cut before its end marker", async () => {
    expect((await refused(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]))).appCode).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect((await refused(JPEG.subarray(0, JPEG.length - 2))).message).toMatch(/ends before the image does/);
  });

  it("a JPEG or a WebP followed by HTML, and HTML inside a PNG's frame (between its chunks)", async () => {
    for (const bytes of [Buffer.concat([JPEG, HTML]), Buffer.concat([WEBP, HTML])]) {
      expect((await refused(bytes)).message).toMatch(/data after the end of the image/);
    }
    const png = pngBytes();
    const iend = png.length - 12;
    expect((await refused(Buffer.concat([png.subarray(0, iend), HTML, png.subarray(iend)]))).appCode).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("a PNG with a corrupt chunk, one that is truncated, one without image data", async () => {
    const corrupt = Buffer.from(pngBytes());
    corrupt[43] = corrupt[43]! ^ 0xff; // inside IDAT's data
    expect((await refused(corrupt)).message).toMatch(/corrupt \(CRC\)/);
    expect((await refused(pngBytes().subarray(0, 40))).message).toMatch(/ends before the image does/);
    const png = pngBytes();
    const withoutData = Buffer.concat([png.subarray(0, 33), png.subarray(png.length - 12)]); // signature, IHDR, IEND
    expect((await refused(withoutData)).message).toMatch(/without image data/);
  });

  it("a PNG declaring 0×0 pixels (its header does not parse as an image)", async () => {
    expect((await refused(pngBytes(0, 0))).appCode).toBe("UNSUPPORTED_MEDIA_TYPE");
  });
});

describe("uploads that are accepted", () => {
  it.each(Object.keys(SAMPLES))("%s, as written by a real encoder", async (name) => {
    const sample = SAMPLES[name]!;
    const bytes = Buffer.from(sample.base64, "base64");
    const { data } = await store(bytes);
    const image = await env.services.db.kysely.selectFrom("product_images").selectAll().where("id", "=", data.image_id).executeTakeFirstOrThrow();
    expect(image).toMatchObject({ content_type: sample.type, byte_size: bytes.length });
    await seller.products.images.delete({ id: productId, image_id: data.image_id }); // at most 8 per product
  });

  it("the smallest JPEG and WebP, and a PNG of exactly the pixel limit", async () => {
    for (const bytes of [JPEG, WEBP, pngBytes(8_000, 5_000)]) {
      const { data } = await store(bytes);
      await seller.products.images.delete({ id: productId, image_id: data.image_id });
    }
  });
});

describe("IMAGE_MAX_PIXELS", () => {
  it("is the limit: 100 pixels accepts 10×10 and refuses 11×10", async () => {
    const small = await createTestServices({ IMAGE_MAX_PIXELS: "100" });
    try {
      const { caller: owner } = await account(small, { role: "seller", storeName: "Tiny" });
      const { id } = (await owner.products.create({ name: "Thumbnail", price_cents: 1 })).data;
      const context = createContext(small.services, { requestId: "t", clientAddress: "127.0.0.1", authorization: undefined });
      await expect(storeImage(context, id, pieces(pngBytes(10, 10)))).resolves.toMatchObject({ status: "success" });
      expect((await rejection(storeImage(context, id, pieces(pngBytes(11, 10))))).message).toMatch(/11×10 pixels, more than the 100/);
    } finally {
      await small.cleanup();
    }
  });
});
