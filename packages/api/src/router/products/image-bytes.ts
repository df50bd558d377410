import { createHash } from "node:crypto";
import { MAX_IMAGE_BYTES } from "@tessera/config";
import { fileTypeFromBuffer } from "file-type";
import { imageSize } from "image-size";
import { AppError } from "../../envelope.ts";
import type { ImageStorage } from "../../services/image-storage.ts";
import { type ImageFormat, ImageWalker, InvalidImage } from "./image-structure.ts";

/** What file-type recognises: the format whose structure the file must have, and the Content-Type it is served with. */
const ACCEPTED: Record<string, { format: ImageFormat; sizeType: string; contentType: string }> = {
  "image/png": { format: "png", sizeType: "png", contentType: "image/png" },
  "image/apng": { format: "png", sizeType: "png", contentType: "image/png" }, // an animated PNG is a PNG
  "image/jpeg": { format: "jpeg", sizeType: "jpg", contentType: "image/jpeg" },
  "image/webp": { format: "webp", sizeType: "webp", contentType: "image/webp" },
};

/** Enough of the head for file-type to decide (its own sample size for streams). */
const SNIFF_BYTES = 4100;
/** How far into the file the header (the dimensions) may be: image-size's own limit for files. Past it: refused. */
const HEADER_BYTES = 512 * 1024;

export interface StoredBytes {
  contentType: string;
  byteSize: number;
  sha256: string;
}

export interface ImageLimits {
  /** Largest width × height accepted (IMAGE_MAX_PIXELS). */
  maxPixels: number;
}

export const imageTooLarge = () =>
  new AppError("IMAGE_TOO_LARGE", `The image is larger than ${MAX_IMAGE_BYTES} bytes (5 MiB).`);

const unsupported = (message: string) => new AppError("UNSUPPORTED_MEDIA_TYPE", message);

/**
 * Streams an upload into storage under `key`, checking it on the way; nothing is held in memory beyond the head
 * (up to its header) and one chunk, and nothing stays stored when the upload is refused:
 * - its type is recognised from the first bytes (never the name or the declared type): PNG, JPEG or WebP, else 415;
 * - its header must parse as that type (image-size) and declare at most `maxPixels` pixels, else 415;
 * - its whole structure must be that type's, from the first byte to the last (image-structure.ts), else 415;
 * - its size is counted as the bytes pass and the upload refused the moment it exceeds 5 MiB (413);
 * - its sha256 (the ETag) is computed on the way.
 * 415 for all three content checks: the contract's answer to anything that is not an acceptable PNG, JPEG or WebP
 * (413 IMAGE_TOO_LARGE is its byte limit).
 */
export async function streamImage(storage: ImageStorage, key: string, file: AsyncIterable<Uint8Array>, limits: ImageLimits): Promise<StoredBytes> {
  const source = file[Symbol.asyncIterator]();
  let head: Uint8Array[] = [];
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
  const accepted = type && ACCEPTED[type.mime];
  if (!accepted) throw unsupported("The image must be a PNG, JPEG or WebP file (recognised by its content).");

  const { format, sizeType, contentType } = accepted;
  const invalid = (reason: string) => unsupported(`The file is not a valid ${format.toUpperCase()} image: ${reason}.`);
  const walker = new ImageWalker(format);
  let headerChecked = false;
  /** Once the header has passed: its dimensions, read by image-size from the head, within the pixel limit. */
  const checkHeader = () => {
    let size;
    try {
      size = imageSize(Buffer.concat(head));
    } catch {
      size = undefined;
    }
    if (!size || size.type !== sizeType || !size.width || !size.height) throw invalid("its header does not parse");
    if (size.width * size.height > limits.maxPixels) {
      throw unsupported(`The image is ${size.width}×${size.height} pixels, more than the ${limits.maxPixels} pixels accepted.`);
    }
    headerChecked = true;
    head = []; // not needed any more
  };

  const hash = createHash("sha256");
  let byteSize = 0;
  const take = (chunk: Uint8Array) => {
    byteSize += chunk.length;
    if (byteSize > MAX_IMAGE_BYTES) throw imageTooLarge();
    try {
      walker.feed(chunk);
    } catch (error) {
      if (error instanceof InvalidImage) throw invalid(error.message);
      throw error;
    }
    if (!headerChecked) {
      if (walker.headerEnd !== undefined) checkHeader();
      else if (byteSize > HEADER_BYTES) throw unsupported(`The image's header is not within its first ${HEADER_BYTES} bytes.`);
    }
    hash.update(chunk);
    return chunk;
  };
  async function* checked() {
    // The head was read to sniff the type; it stays in `head` (for image-size) until the header has been checked.
    for (const chunk of [...head]) yield take(chunk);
    if (!ended) {
      for (let next = await source.next(); !next.done; next = await source.next()) {
        if (!headerChecked) head.push(next.value);
        yield take(next.value);
      }
    }
    try {
      walker.end();
    } catch (error) {
      throw invalid((error as Error).message);
    }
  }
  await storage.write(key, checked());
  return { contentType, byteSize, sha256: hash.digest("hex") };
}
