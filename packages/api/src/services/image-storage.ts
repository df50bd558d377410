import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, opendir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { isUuid } from "../ids.ts";

/**
 * Where image bytes live, behind one interface (metadata is in the database: product_images). Keys are the
 * server's own (UUIDs), never a name a client chose.
 *
 * `IMAGE_STORAGE=local` (the default) keeps one file per image under `<DATA_DIR>/images`; `IMAGE_STORAGE=s3` keeps
 * one object per image in an S3-compatible bucket (s3-image-storage.ts); image-drivers.ts chooses. The bytes are written before their row
 * is committed and removed after their row is deleted, so a crash between the two leaves bytes without a row:
 * list() and discardUnfinished() are what the orphan sweep (image-sweep.ts) uses to find and remove them.
 */
export interface ImageStorage {
  /** Stores the bytes under `key` as they stream in. When `bytes` fails part-way, nothing stays stored. */
  write(key: string, bytes: AsyncIterable<Uint8Array>): Promise<void>;
  /** The stored bytes, or null when nothing is stored under `key`. */
  read(key: string): Promise<Readable | null>;
  /** Forgets `key`; nothing stored under it is not an error. */
  remove(key: string): Promise<void>;
  /**
   * At most `limit` stored keys, in ascending order, after the cursor `after` (from the start without it), with
   * when each was stored; `next` is the cursor of the following page, undefined after the last one.
   */
  list(after: string | undefined, limit: number): Promise<StoredPage>;
  /** Deletes what writes that never completed (a crash mid-upload) left behind, if begun before `before`; how many. */
  discardUnfinished(before: Date): Promise<number>;
}

export interface StoredPage {
  objects: { key: string; storedAt: Date }[];
  next: string | undefined;
}

/** The storage backend did not answer or refused (network, credentials, bucket): the request may be retried later. */
export class ImageStorageUnavailable extends Error {
  override name = "ImageStorageUnavailable";
}

/** Keys come from the server, but a path or an object name must never be built from anything else. */
export function checkedKey(key: string): string {
  if (!isUuid(key)) throw new Error(`Not an image storage key: ${JSON.stringify(key)}`);
  return key;
}

const PARTIAL = ".partial-";

/**
 * The `limit` smallest of a stream of names that sort after `after`, kept in a sorted array of at most `limit`
 * (so a folder of any size is walked in bounded memory), and whether more than `limit` qualified.
 */
async function smallestAfter(names: AsyncIterable<string>, after: string | undefined, limit: number) {
  const kept: string[] = [];
  let more = false;
  for await (const name of names) {
    if (after !== undefined && name <= after) continue;
    if (kept.length === limit) {
      more = true;
      if (name >= kept[limit - 1]!) continue;
      kept.pop();
    }
    let low = 0;
    let high = kept.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (kept[middle]! < name) low = middle + 1;
      else high = middle;
    }
    kept.splice(low, 0, name);
  }
  return { kept, more };
}

async function* fileNames(folder: string, accept: (name: string) => boolean): AsyncGenerator<string> {
  let dir;
  try {
    dir = await opendir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  for await (const entry of dir) if (entry.isFile() && accept(entry.name)) yield entry.name;
}

/** When a file was last written, or undefined when it is gone (removed since the folder was read). */
async function modifiedAt(file: string): Promise<Date | undefined> {
  try {
    return (await stat(file)).mtime;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Files in one folder. A write goes to a temporary name and is renamed when complete, so a reader never sees half a file. */
export function createLocalImageStorage(folder: string): ImageStorage {
  const fileOf = (key: string) => path.join(folder, checkedKey(key));
  return {
    async write(key, bytes) {
      const file = fileOf(key);
      const partial = path.join(folder, `${PARTIAL}${key}-${randomBytes(4).toString("hex")}`);
      await mkdir(folder, { recursive: true });
      try {
        await pipeline(bytes, createWriteStream(partial, { flags: "wx", mode: 0o600 }));
        await rename(partial, file);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    },
    async read(key) {
      const file = fileOf(key);
      try {
        if (!(await stat(file)).isFile()) return null;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
      return createReadStream(file);
    },
    async remove(key) {
      await rm(fileOf(key), { force: true });
    },
    async list(after, limit) {
      // Directory order is no order: the page is the `limit` smallest names after the cursor, found in one pass.
      const { kept, more } = await smallestAfter(fileNames(folder, isUuid), after, limit);
      const objects = [];
      for (const key of kept) {
        const storedAt = await modifiedAt(path.join(folder, key));
        if (storedAt) objects.push({ key, storedAt });
      }
      return { objects, next: more ? kept.at(-1) : undefined };
    },
    async discardUnfinished(before) {
      let discarded = 0;
      for await (const name of fileNames(folder, (name) => name.startsWith(PARTIAL))) {
        const file = path.join(folder, name);
        const modified = await modifiedAt(file);
        if (modified && modified < before) {
          await rm(file, { force: true });
          discarded++;
        }
      }
      return discarded;
    },
  };
}
