/**
 * Well-formed PNGs for the upload tests, built here chunk by chunk: any declared size, any total length (padded
 * by a comment chunk), streamed in 64 KiB pieces like an upload, with every CRC right.
 */
import { crc32, deflateSync } from "node:zlib";
import { PNG_SIGNATURE, pngChunk } from "../png.ts";

const OVERHEAD = 12; // length, type, CRC

/** IHDR declaring `width` × `height`, 8-bit RGBA: the header image-size reads. */
function ihdr(width: number, height: number): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data.set([8, 6, 0, 0, 0], 8);
  return pngChunk("IHDR", data);
}

const IDAT = pngChunk("IDAT", deflateSync(Buffer.from([0, 200, 30, 60, 255])));
const IEND = pngChunk("IEND", Buffer.alloc(0));

/** A complete PNG declaring the given size (its pixel data is one pixel's: nothing here decodes it). */
export function pngBytes(width = 1, height = 1): Buffer {
  return Buffer.concat([PNG_SIGNATURE, ihdr(width, height), IDAT, IEND]);
}

/** A well-formed 1×1 PNG of exactly `total` bytes, as a stream of pieces of at most 64 KiB. */
export async function* pngStream(total: number): AsyncGenerator<Uint8Array> {
  const start = Buffer.concat([PNG_SIGNATURE, ihdr(1, 1), IDAT]);
  const keyword = Buffer.from("Comment\0", "latin1");
  const fill = total - start.length - IEND.length - OVERHEAD - keyword.length;
  if (fill < 0) throw new Error(`A PNG cannot be as small as ${total} bytes.`);
  yield start;
  const head = Buffer.alloc(8);
  head.writeUInt32BE(keyword.length + fill, 0);
  head.write("tEXt", 4, "latin1");
  let crc = crc32(Buffer.concat([head.subarray(4), keyword]));
  yield Buffer.concat([head, keyword]);
  for (let sent = 0; sent < fill; sent += 64 * 1024) {
    const piece = Buffer.alloc(Math.min(64 * 1024, fill - sent), "x");
    crc = crc32(piece, crc);
    yield piece;
  }
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc);
  yield Buffer.concat([tail, IEND]);
}

/** The bytes of a stream, in the pieces it was made of. */
export async function* streamOf(...parts: Buffer[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}
