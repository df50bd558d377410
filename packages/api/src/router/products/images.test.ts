/** Image storage and the upload steps below HTTP: concurrency of the 8-image limit, streaming limits, clean-up. */
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { MAX_IMAGE_BYTES } from "@tessera/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalImageStorage } from "../../services/image-storage.ts";
import { account, appCodeOf, type Caller, createTestServices, pngStream, streamOf, type TestEnv } from "../../testing/index.ts";
import { createContext } from "../../trpc.ts";
import { storeImage } from "./images.handler.ts";

let env: TestEnv;
let seller: Caller;

/** A well-formed PNG of `total` bytes, or `head` followed by filler (to `total` bytes). */
async function* chunks(total: number, head?: Buffer): AsyncGenerator<Uint8Array> {
  if (!head) return yield* pngStream(total);
  yield head;
  for (let sent = head.length; sent < total; sent += 64 * 1024) yield Buffer.alloc(Math.min(64 * 1024, total - sent), 7);
}

const ctx = () => createContext(env.services, { requestId: "t", clientAddress: "127.0.0.1", authorization: undefined });
const folder = () => path.join(env.config.dataDir, "images");
const files = () => (existsSync(folder()) ? readdirSync(folder()) : []);

beforeAll(async () => {
  env = await createTestServices();
  ({ caller: seller } = await account(env, { role: "seller", storeName: "Images Inc" }));
});
afterAll(() => env.cleanup());

describe("storeImage", () => {
  it("never makes a ninth image, even for uploads that all passed the early check at once", async () => {
    const { id } = (await seller.products.create({ name: "Gallery", price_cents: 1 })).data;
    for (let i = 0; i < 6; i++) await storeImage(ctx(), id, chunks(1_000));
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => storeImage(ctx(), id, chunks(200_000))));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(2);
    for (const result of results.filter((r) => r.status === "rejected")) expect((result as PromiseRejectedResult).reason.appCode).toBe("TOO_MANY_IMAGES");
    const images = (await seller.products.get({ id })).data.images;
    expect(images).toHaveLength(8);
    // The refused uploads' bytes were removed again: one file per recorded image, no partial files.
    const stored = files().filter((file) => images.some((image) => image.image_id === file));
    expect(stored).toHaveLength(8);
    expect(files().filter((file) => file.startsWith("."))).toEqual([]);
  });

  it("stops at 5 MiB + 1 byte as the bytes stream, keeping nothing; exactly 5 MiB is fine", async () => {
    const { id } = (await seller.products.create({ name: "Big", price_cents: 1 })).data;
    const before = files().sort();
    expect(await appCodeOf(storeImage(ctx(), id, chunks(MAX_IMAGE_BYTES + 1)))).toBe("IMAGE_TOO_LARGE");
    expect(files().sort()).toEqual(before);
    const { data } = await storeImage(ctx(), id, chunks(MAX_IMAGE_BYTES));
    expect(files()).toContain(data.image_id);
  });

  it("refuses bytes that are not PNG, JPEG or WebP with UNSUPPORTED_MEDIA_TYPE, before storing anything", async () => {
    const { id } = (await seller.products.create({ name: "Text", price_cents: 1 })).data;
    const before = files().sort();
    for (const head of [Buffer.from("%PDF-1.7\n"), Buffer.from("GIF89a\u0001\u0000\u0001\u0000"), Buffer.from("hello")]) {
      expect(await appCodeOf(storeImage(ctx(), id, chunks(10_000, head)))).toBe("UNSUPPORTED_MEDIA_TYPE");
    }
    expect(files().sort()).toEqual(before);
  });
});

describe("local image storage", () => {
  it("reads back what it wrote, answers null for unknown keys and refuses keys that are not its own", async () => {
    const storage = createLocalImageStorage(mkdtempSync(path.join(tmpdir(), "tessera-images-")));
    const key = "0b7c6f2e-5d1a-4c3b-9a8f-7e6d5c4b3a21";
    await storage.write(key, streamOf(Buffer.alloc(70_000, 3)));
    const read = await storage.read(key);
    let size = 0;
    for await (const chunk of read!) size += (chunk as Buffer).length;
    expect(size).toBe(70_000);
    expect(await storage.read("1b7c6f2e-5d1a-4c3b-9a8f-7e6d5c4b3a21")).toBeNull();
    await expect(storage.read("../../etc/passwd")).rejects.toThrow(/Not an image storage key/);
    await storage.remove(key);
    await storage.remove(key);
    expect(await storage.read(key)).toBeNull();
  });
});

describe("deleting a seller (admin)", () => {
  it("removes their products' image files too", async () => {
    const { caller: doomed, id: user_id } = await account(env, { role: "seller", storeName: "Short-lived" });
    const { id } = (await doomed.products.create({ name: "Soon gone", price_cents: 1 })).data;
    const { data } = await storeImage(ctx(), id, chunks(1_000));
    expect(files()).toContain(data.image_id);
    const { caller: admin } = await account(env, { role: "admin" });
    await admin.admin.users.delete({ user_id });
    expect(files()).not.toContain(data.image_id);
  });
});
