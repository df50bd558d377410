/**
 * The orphan sweep on both storage drivers (the local folder; S3 through s3rver), over the database the
 * environment names: it removes stored bytes that no product_images row names once they are older than the grace
 * period, and nothing else; it does bounded work per run; it retries removals that failed.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { account, type Caller, createTestServices, pages, pngStream, S3TestServer, silentLogger, startS3TestServer, type TestEnv } from "../testing/index.ts";
import { storeImage } from "../router/products/images.handler.ts";
import { createContext } from "../trpc.ts";
import type { ImageStorage } from "./image-storage.ts";
import { createImageSweep } from "./image-sweep.ts";

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3TestServer();
});
afterAll(() => s3?.destroy());

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

/**
 * A grace period that every stored key has outlived: a file's time has sub-millisecond precision and a
 * server's clock may run a little ahead, so "0 seconds" could still spare a key written a moment ago.
 */
const NO_GRACE = -60;

/** Every key the storage holds, through its own listing. */
async function storedKeys(storage: ImageStorage): Promise<string[]> {
  const objects = await pages((cursor) => storage.list(cursor, 1000).then((page) => ({ items: page.objects, next_cursor: page.next ?? null })));
  return objects.map((object) => object.key).sort();
}

/** A storage whose removals fail while `failing.on` is set (an outage), counting the attempts. */
function flaky(storage: ImageStorage) {
  const failing = { on: true, attempts: 0 };
  const wrapped: ImageStorage = {
    ...storage,
    async remove(key) {
      failing.attempts++;
      if (failing.on) throw new Error("storage is down");
      await storage.remove(key);
    },
  };
  return { storage: wrapped, failing };
}

describe.each(["local", "s3"])("the image sweep on %s storage", (driver) => {
  let env: TestEnv;
  let seller: Caller;
  const sweep = (options: { graceSeconds: number; pageSize?: number; storage?: ImageStorage }) =>
    createImageSweep({ db: env.services.db, storage: env.services.images, logger: silentLogger, intervalSeconds: 0, ...options });
  const ctx = () => createContext(env.services, { requestId: "t", clientAddress: "127.0.0.1", authorization: undefined });
  const upload = async (productId: string) => (await storeImage(ctx(), productId, pngStream(2_000))).data.image_id;

  beforeAll(async () => {
    // The services' own sweep runs once at start with the default grace (an hour): it touches nothing here.
    env = await createTestServices(driver === "s3" ? s3.env(`sweep-${randomUUID()}/`) : {});
    ({ caller: seller } = await account(env, { role: "seller", storeName: "Sweep & Co" }));
  });
  afterAll(() => env?.cleanup());

  it("removes bytes no image row names once older than the grace period, never an image's bytes", async () => {
    const { id } = (await seller.products.create({ name: "Kept", price_cents: 1 })).data;
    const image = await upload(id);
    const orphans: string[] = [randomUUID(), randomUUID()];
    for (const key of orphans) await env.services.images.write(key, bytes("left by a crash"));

    // Younger than the grace period (an upload whose row has not committed yet looks exactly like this): kept.
    expect(await sweep({ graceSeconds: 3600 }).run()).toMatchObject({ removed: 0, failed: 0 });
    expect(await storedKeys(env.services.images)).toEqual([image, ...orphans].sort());

    const report = await sweep({ graceSeconds: NO_GRACE }).run();
    expect(report).toMatchObject({ removed: 2, failed: 0 });
    expect(await storedKeys(env.services.images)).toEqual([image]);
    expect((await seller.products.get({ id })).data.images.map((i) => i.image_id)).toEqual([image]);
  });

  it("does bounded work per run: one page of keys, the next page on the next run, then from the start again", async () => {
    const orphans: string[] = Array.from({ length: 5 }, () => randomUUID());
    for (const key of orphans) await env.services.images.write(key, bytes("orphan"));
    const total = (await storedKeys(env.services.images)).length;
    const paged = sweep({ graceSeconds: NO_GRACE, pageSize: 2 });
    let removed = 0;
    for (let run = 0; run < Math.ceil(total / 2); run++) {
      const report = await paged.run();
      expect(report.scanned).toBeLessThanOrEqual(2);
      removed += report.removed;
    }
    expect(removed).toBe(5);
    expect((await storedKeys(env.services.images)).filter((key) => orphans.includes(key))).toEqual([]);
    // After the last page it starts over: a new orphan anywhere in the key order is found within another cycle.
    const late = randomUUID();
    await env.services.images.write(late, bytes("late"));
    for (let run = 0; run <= Math.ceil((total - 5 + 1) / 2); run++) await paged.run();
    expect(await storedKeys(env.services.images)).not.toContain(late);
  });

  it("retries removals that failed (the storage was down when the row was deleted) on its next run", async () => {
    const { id } = (await seller.products.create({ name: "Flaky", price_cents: 1 })).data;
    const image = await upload(id);
    const { storage, failing } = flaky(env.services.images);
    // A grace period no stored key outlives here: only the retry can remove anything.
    const retrying = sweep({ graceSeconds: 3600, storage });
    await env.services.db.kysely.deleteFrom("product_images").where("id", "=", image).execute(); // the row is gone (committed)
    await expect(retrying.removeOrphans([image])).resolves.toBeUndefined(); // never throws at the caller
    expect(await storedKeys(env.services.images)).toContain(image);

    expect(await retrying.run()).toMatchObject({ removed: 0, failed: 1 }); // still down: kept for later
    failing.on = false;
    expect(await retrying.run()).toMatchObject({ removed: 1, failed: 0 });
    expect(await storedKeys(env.services.images)).not.toContain(image);
    const attempts = failing.attempts;
    await retrying.run();
    expect(failing.attempts).toBe(attempts); // done: not retried again
  });

  it("runs once at start, and stop() waits for a run under way", async () => {
    const orphan = randomUUID();
    await env.services.images.write(orphan, bytes("orphan"));
    const started = sweep({ graceSeconds: NO_GRACE });
    started.start();
    await started.stop(); // the run begun by start() has finished when stop() resolves
    expect(await storedKeys(env.services.images)).not.toContain(orphan);
  });
});
