/**
 * Both image storage drivers against the same expectations: the local folder, and S3 through a real
 * S3-compatible server process (s3rver on loopback). Then what only S3 has: an endpoint that does not answer,
 * bad credentials, a missing bucket, objects in the bucket that are not Tessera's.
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { S3Settings } from "@tessera/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort, pages, S3RVER_KEY, type S3TestServer, startS3TestServer } from "../testing/index.ts";
import { createLocalImageStorage, type ImageStorage, ImageStorageUnavailable } from "./image-storage.ts";
import { createS3ImageStorage } from "./s3-image-storage.ts";

let s3: S3TestServer;
const folders: string[] = [];
const folder = (name: string) => {
  const made = mkdtempSync(path.join(tmpdir(), `tessera-${name}-`));
  folders.push(made);
  return made;
};

beforeAll(async () => {
  s3 = await startS3TestServer();
});
afterAll(async () => {
  await s3?.destroy();
  for (const made of folders) rmSync(made, { recursive: true, force: true });
});

const settings = (overrides: Partial<S3Settings> = {}): S3Settings => ({
  bucket: s3.bucket, region: "us-east-1", endpoint: s3.endpoint, accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY,
  forcePathStyle: true, keyPrefix: `t-${randomUUID()}/`, ...overrides,
});

async function* pieces(bytes: Buffer, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}
async function* failingAfter(bytes: Buffer): AsyncGenerator<Uint8Array> {
  yield bytes;
  throw new Error("the client went away");
}
async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}
const randomBytesOf = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 7919) % 251));

interface Driver {
  storage: ImageStorage;
  /** Every name the driver's backing store holds for it (files, objects), unfinished writes included. */
  stored(): Promise<string[]>;
  /** A leftover of an interrupted write, last touched `ageSeconds` ago. */
  leaveUnfinished(ageSeconds: number): string;
  unfinished(): string[];
}

const drivers: Record<string, () => Driver> = {
  local() {
    const dir = folder("images");
    return {
      storage: createLocalImageStorage(dir),
      stored: async () => (existsSync(dir) ? readdirSync(dir).sort() : []),
      leaveUnfinished(ageSeconds) {
        const name = `.partial-${randomUUID()}-0badf00d`;
        writeFileSync(path.join(dir, name), "half");
        const then = new Date(Date.now() - ageSeconds * 1000);
        utimesSync(path.join(dir, name), then, then);
        return name;
      },
      unfinished: () => readdirSync(dir).filter((name) => name.startsWith(".partial-")).sort(),
    };
  },
  s3() {
    const spoolDir = folder("spool");
    const config = settings();
    return {
      storage: createS3ImageStorage(config, { spoolDir }),
      stored: async () => [...(await s3.keys(config.keyPrefix)), ...readdirSync(spoolDir)].sort(),
      leaveUnfinished(ageSeconds) {
        const name = `tessera-image-${randomUUID()}-0badf00d.part`;
        writeFileSync(path.join(spoolDir, name), "half");
        const then = new Date(Date.now() - ageSeconds * 1000);
        utimesSync(path.join(spoolDir, name), then, then);
        return name;
      },
      unfinished: () => readdirSync(spoolDir).sort(),
    };
  },
};

describe.each(Object.keys(drivers))("%s image storage", (name) => {
  let driver: Driver;
  beforeAll(() => {
    driver = drivers[name]!();
  });

  it("reads back what it wrote, byte for byte; null for a key it does not hold; remove twice is fine", async () => {
    const key = randomUUID();
    const bytes = randomBytesOf(300_000);
    await driver.storage.write(key, pieces(bytes));
    expect((await readAll((await driver.storage.read(key))!)).equals(bytes)).toBe(true);
    expect(await driver.storage.read(randomUUID())).toBeNull();
    await driver.storage.remove(key);
    await driver.storage.remove(key);
    expect(await driver.storage.read(key)).toBeNull();
  });

  it("keeps nothing of a write whose bytes fail part-way", async () => {
    const before = await driver.stored();
    await expect(driver.storage.write(randomUUID(), failingAfter(randomBytesOf(100_000)))).rejects.toThrow("the client went away");
    expect(await driver.stored()).toEqual(before);
  });

  it("refuses keys that are not its own before touching anything", async () => {
    for (const key of ["../../etc/passwd", "x", `${randomUUID()}/..`]) {
      await expect(driver.storage.read(key)).rejects.toThrow(/Not an image storage key/);
      await expect(driver.storage.remove(key)).rejects.toThrow(/Not an image storage key/);
      await expect(driver.storage.write(key, pieces(Buffer.from("x")))).rejects.toThrow(/Not an image storage key/);
    }
  });

  it("lists every stored key once, in ascending pages from a cursor, with when it was stored", async () => {
    const keys: string[] = Array.from({ length: 7 }, () => randomUUID());
    const start = Date.now();
    for (const key of keys) await driver.storage.write(key, pieces(Buffer.from(key)));
    let fetched = 0;
    const objects = await pages(async (cursor) => {
      fetched++;
      const page = await driver.storage.list(cursor, 3);
      expect(page.objects.length).toBeLessThanOrEqual(3);
      return { items: page.objects, next_cursor: page.next ?? null };
    });
    expect(fetched).toBe(3);
    // the file system's and S3's clocks are coarse
    for (const object of objects) expect(object.storedAt.getTime()).toBeGreaterThan(start - 5_000);
    const seen = objects.map((object) => object.key);
    expect(seen).toEqual([...seen].sort());
    expect(seen.filter((key) => keys.includes(key)).sort()).toEqual([...keys].sort());
    expect(new Set(seen).size).toBe(seen.length);
    for (const key of keys) await driver.storage.remove(key);
    expect((await driver.storage.list(undefined, 100)).objects.filter((object) => keys.includes(object.key))).toEqual([]);
  });

  it("discards what interrupted writes left, once older than the given time, and nothing else", async () => {
    const old = driver.leaveUnfinished(3600);
    const fresh = driver.leaveUnfinished(0);
    const key = randomUUID();
    await driver.storage.write(key, pieces(Buffer.from("kept")));
    expect(await driver.storage.discardUnfinished(new Date(Date.now() - 60_000))).toBe(1);
    expect(driver.unfinished()).toEqual([fresh]);
    expect(driver.unfinished()).not.toContain(old);
    expect(await driver.storage.read(key)).not.toBeNull();
  });
});

describe("S3 image storage, when S3 fails", () => {
  it("says clearly that an unreachable endpoint is unreachable, and keeps nothing of the upload", async () => {
    const spoolDir = folder("spool");
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const storage = createS3ImageStorage(settings({ endpoint }), { spoolDir });
    const key = randomUUID();
    const error = await storage.write(key, pieces(randomBytesOf(200_000))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageStorageUnavailable);
    expect((error as Error).message).toMatch(new RegExp(`^S3 PutObject failed on bucket "${s3.bucket}" at ${endpoint}: ECONNREFUSED`));
    expect(readdirSync(spoolDir)).toEqual([]); // the spooled upload is gone too
    for (const call of [() => storage.read(key), () => storage.remove(key), () => storage.list(undefined, 10)]) {
      await expect(call()).rejects.toBeInstanceOf(ImageStorageUnavailable);
    }
  });

  it("names the S3 error for bad credentials and for a missing bucket", async () => {
    const wrongKey = createS3ImageStorage(settings({ accessKeyId: "NOT-A-KEY" }), { spoolDir: folder("spool") });
    await expect(wrongKey.write(randomUUID(), pieces(Buffer.from("x")))).rejects.toThrow(/InvalidAccessKeyId \(HTTP 403\)/);
    const noBucket = createS3ImageStorage(settings({ bucket: "no-such-bucket" }), { spoolDir: folder("spool") });
    await expect(noBucket.list(undefined, 10)).rejects.toThrow(/NoSuchBucket \(HTTP 404\)/);
  });

  it("lists only its own keys: other prefixes and names that are not image keys are never returned", async () => {
    const config = settings();
    const storage = createS3ImageStorage(config, { spoolDir: folder("spool") });
    const client = new S3Client({
      region: "us-east-1", endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY },
    });
    for (const key of [`${config.keyPrefix}notes.txt`, `other/${randomUUID()}`, `${config.keyPrefix}${randomUUID()}/nested`]) {
      await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: "not an image" }));
    }
    const mine = randomUUID();
    await storage.write(mine, pieces(Buffer.from("image")));
    expect((await storage.list(undefined, 100)).objects.map((object) => object.key)).toEqual([mine]);
    client.destroy();
  });
});
