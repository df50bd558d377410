import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Config } from "@tessera/config";

/**
 * Where image bytes live, behind one interface (metadata is in the database: product_images). Keys are the
 * server's own (UUIDs), never a name a client chose.
 *
 * `IMAGE_STORAGE=local` (the default, and the only driver so far) keeps one file per image under
 * `<DATA_DIR>/images`. An S3-compatible driver is a second implementation of this interface (write: a streamed
 * multipart PutObject; read: GetObject's body; remove: DeleteObject), chosen in createImageStorage by a second
 * IMAGE_STORAGE value; it is not written yet because no S3-compatible server is available to test it against.
 */
export interface ImageStorage {
  /** Stores the bytes under `key` as they stream in. When `bytes` fails part-way, nothing stays stored. */
  write(key: string, bytes: AsyncIterable<Uint8Array>): Promise<void>;
  /** The stored bytes, or null when nothing is stored under `key`. */
  read(key: string): Promise<Readable | null>;
  /** Forgets `key`; nothing stored under it is not an error. */
  remove(key: string): Promise<void>;
}

const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Files in one folder. A write goes to a temporary name and is renamed when complete, so a reader never sees half a file. */
export function createLocalImageStorage(folder: string): ImageStorage {
  const fileOf = (key: string) => {
    // Keys come from the server, but a path must never be built from anything else.
    if (!KEY.test(key)) throw new Error(`Not an image storage key: ${JSON.stringify(key)}`);
    return path.join(folder, key);
  };
  return {
    async write(key, bytes) {
      const file = fileOf(key);
      const partial = path.join(folder, `.partial-${key}-${randomBytes(4).toString("hex")}`);
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
  };
}

/** The one place that chooses the image storage driver from the configuration. */
export function createImageStorage(config: Pick<Config, "imageStorage" | "dataDir">): ImageStorage {
  switch (config.imageStorage) {
    case "local":
      return createLocalImageStorage(path.join(config.dataDir, "images"));
  }
}
