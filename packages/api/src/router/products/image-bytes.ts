import { createHash } from "node:crypto";
import { MAX_IMAGE_BYTES } from "@tessera/config";
import { fileTypeFromBuffer } from "file-type";
import { AppError } from "../../envelope.ts";
import type { ImageStorage } from "../../services/image-storage.ts";

/** What file-type recognises, and the Content-Type each image is stored and served with. */
const ACCEPTED: Record<string, string> = {
  "image/png": "image/png",
  "image/apng": "image/png", // an animated PNG is a PNG
  "image/jpeg": "image/jpeg",
  "image/webp": "image/webp",
};

/** Enough of the head for file-type to decide (its own sample size for streams). */
const SNIFF_BYTES = 4100;

export interface StoredBytes {
  contentType: string;
  byteSize: number;
  sha256: string;
}

export const imageTooLarge = () =>
  new AppError("IMAGE_TOO_LARGE", `The image is larger than ${MAX_IMAGE_BYTES} bytes (5 MiB).`);

/**
 * Streams an upload into storage under `key`: the type is recognised from the first bytes (never the name or the
 * declared type), the size is counted as the bytes pass and the upload refused the moment it exceeds 5 MiB, and
 * the sha256 (the ETag) is computed on the way. Nothing is held in memory beyond the head and one chunk, and
 * nothing stays stored when the upload is refused.
 */
export async function streamImage(storage: ImageStorage, key: string, file: AsyncIterable<Uint8Array>): Promise<StoredBytes> {
  const source = file[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < SNIFF_BYTES) {
    const next = await source.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.length;
  }
  if (headBytes > MAX_IMAGE_BYTES) throw imageTooLarge();
  const type = headBytes === 0 ? undefined : await fileTypeFromBuffer(Buffer.concat(head));
  const contentType = type && ACCEPTED[type.mime];
  if (!contentType) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "The image must be a PNG, JPEG or WebP file (recognised by its content).");
  }

  const hash = createHash("sha256");
  let byteSize = 0;
  const count = (chunk: Uint8Array) => {
    byteSize += chunk.length;
    if (byteSize > MAX_IMAGE_BYTES) throw imageTooLarge();
    hash.update(chunk);
    return chunk;
  };
  async function* counted() {
    for (const chunk of head) yield count(chunk);
    if (ended) return;
    for (let next = await source.next(); !next.done; next = await source.next()) yield count(next.value);
  }
  await storage.write(key, counted());
  return { contentType, byteSize, sha256: hash.digest("hex") };
}
