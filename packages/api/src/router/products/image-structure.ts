import { crc32 } from "node:zlib";

/**
 * Checks, as the bytes stream past, that an upload is one PNG, JPEG or WebP file from its first byte to its last:
 * every PNG chunk well framed with its CRC, IHDR first and IEND last; every JPEG segment well framed from SOI to
 * EOI, a frame header before the first scan; every WebP chunk inside the RIFF length the header declares. Anything
 * after the image's end (a PNG followed by HTML) or a file that stops early (a bare JPEG header) is refused.
 *
 * Hand-written because the maintained libraries either read the header only (image-size, used for the dimensions
 * in image-bytes.ts) or decode the pixels (a 40 MP image is 160 MB of RGBA): this reads the framing only, in
 * constant memory, and never decodes. Each format is a generator that asks for what it needs next (a few bytes,
 * bytes to skip, the next JPEG marker); ImageWalker feeds it the stream's chunks.
 */

export class InvalidImage extends Error {
  override name = "InvalidImage";
}

type Need =
  | { kind: "read"; n: number } // resumes with exactly n bytes
  | { kind: "skip"; n: number; crc?: number } // resumes with the CRC-32 continued over the skipped bytes (PNG)
  | { kind: "marker" } // JPEG entropy-coded data: resumes with the byte after the next 0xFF (fill bytes skipped)
  | { kind: "header" }; // the bytes so far hold the image's header (dimensions): resumes at once

type Format = Generator<Need, void, never>;
// The generators receive what their request asked for; one cast per kind keeps the formats readable.
const read = (n: number) => ({ kind: "read", n }) as const;
const skip = (n: number, crc?: number) => ({ kind: "skip", n, crc }) as const;
const bad = (message: string) => new InvalidImage(message);

function* png(): Format {
  const signature = (yield read(8)) as Uint8Array;
  if (Buffer.compare(signature, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) !== 0) throw bad("not a PNG signature");
  let first = true;
  let sawData = false;
  for (;;) {
    const head = Buffer.from((yield read(8)) as Uint8Array);
    const length = head.readUInt32BE(0);
    const type = head.toString("latin1", 4, 8);
    if (length > 0x7fffffff || !/^[A-Za-z]{4}$/.test(type)) throw bad("a malformed PNG chunk");
    if (first !== (type === "IHDR") || (type === "IHDR" && length !== 13)) throw bad("a PNG must start with its IHDR chunk");
    const crc = (yield skip(length, crc32(head.subarray(4)))) as number;
    if (Buffer.from((yield read(4)) as Uint8Array).readUInt32BE(0) !== crc) throw bad(`the PNG chunk ${type} is corrupt (CRC)`);
    if (first) yield { kind: "header" };
    first = false;
    if (type === "IDAT") sawData = true;
    if (type === "IEND") {
      if (!sawData) throw bad("a PNG without image data");
      return;
    }
  }
}

/** SOFn markers (frame headers): C0–CF but DHT (C4), JPG (C8) and DAC (CC). */
const isFrameHeader = (code: number) => code >= 0xc0 && code <= 0xcf && code !== 0xc4 && code !== 0xc8 && code !== 0xcc;
const isRestart = (code: number) => code >= 0xd0 && code <= 0xd7;

function* jpeg(): Format {
  const start = (yield read(2)) as Uint8Array;
  if (start[0] !== 0xff || start[1] !== 0xd8) throw bad("not a JPEG start of image");
  const nextMarker = function* (): Generator<Need, number, never> {
    if (((yield read(1)) as Uint8Array)[0] !== 0xff) throw bad("bytes between JPEG segments");
    let code: number;
    do code = ((yield read(1)) as Uint8Array)[0]!; while (code === 0xff); // fill bytes
    return code;
  };
  let sawFrame = false;
  let sawScan = false;
  let code = yield* nextMarker();
  for (;;) {
    if (code === 0xd9) {
      if (!sawScan) throw bad("a JPEG without image data");
      return;
    }
    if (code === 0xd8 || code === 0x00 || isRestart(code)) throw bad("a misplaced JPEG marker");
    if (code !== 0x01) { // TEM stands alone; every other marker has a segment
      const length = Buffer.from((yield read(2)) as Uint8Array).readUInt16BE(0);
      if (length < 2) throw bad("a malformed JPEG segment");
      yield skip(length - 2);
      if (isFrameHeader(code)) {
        sawFrame = true;
        yield { kind: "header" };
      }
      if (code === 0xda) {
        if (!sawFrame) throw bad("a JPEG scan before its frame header");
        sawScan = true;
        // Entropy-coded data runs to the next marker that is neither a stuffed 0x00 nor a restart marker.
        do code = (yield { kind: "marker" }) as number; while (code === 0x00 || isRestart(code));
        continue;
      }
    }
    code = yield* nextMarker();
  }
}

function* webp(): Format {
  const riff = Buffer.from((yield read(12)) as Uint8Array);
  if (riff.toString("latin1", 0, 4) !== "RIFF" || riff.toString("latin1", 8, 12) !== "WEBP") throw bad("not a WebP RIFF header");
  let left = riff.readUInt32LE(4) - 4; // the RIFF length counts "WEBP" and the chunks
  let first = true;
  while (left > 0) {
    if (left < 8) throw bad("a WebP chunk past the RIFF length");
    const head = Buffer.from((yield read(8)) as Uint8Array);
    const size = head.readUInt32LE(4);
    const padded = size + (size & 1);
    left -= 8;
    if (padded > left) throw bad("a WebP chunk past the RIFF length");
    if (first) {
      if (!["VP8 ", "VP8L", "VP8X"].includes(head.toString("latin1", 0, 4))) throw bad("a WebP without a VP8 chunk first");
      // image-size reads the dimensions from the chunk's first 10 bytes.
      const peek = Math.min(10, padded);
      yield read(peek);
      yield { kind: "header" };
      yield skip(padded - peek);
      first = false;
    } else {
      yield skip(padded);
    }
    left -= padded;
  }
  if (first || left !== 0) throw bad("an empty or malformed WebP");
}

const FORMATS = { png, jpeg, webp } as const;
export type ImageFormat = keyof typeof FORMATS;

/** Feeds a stream's chunks to one format's generator; throws InvalidImage as soon as the bytes stop fitting. */
export class ImageWalker {
  private readonly format: Format;
  private need: Need | undefined;
  /** What a "read" collects across chunks: the formats read at most 12 bytes at once. */
  private readonly buffer = Buffer.alloc(16);
  private buffered = 0;
  private afterFill = false;
  private offset = 0;
  private finished = false;
  /** How many bytes from the start hold the image's header (its dimensions), once they have passed. */
  headerEnd: number | undefined;

  constructor(format: ImageFormat) {
    this.format = FORMATS[format]();
    this.advance(undefined);
  }

  /** Resumes the format with `value`; answers at once what needs no bytes (the header mark, empty reads and skips). */
  private advance(value: unknown) {
    let step = this.format.next(value as never);
    for (;;) {
      if (step.done) {
        this.finished = true;
        return;
      }
      const need = step.value;
      if (need.kind === "header") {
        this.headerEnd = this.offset;
        step = this.format.next(undefined as never);
      } else if (need.kind === "read" && need.n === 0) step = this.format.next(Buffer.alloc(0) as never);
      else if (need.kind === "skip" && need.n === 0) step = this.format.next(need.crc as never);
      else break;
    }
    this.need = step.value;
  }

  feed(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.finished) throw bad("data after the end of the image");
      const need = this.need!;
      const start = at;
      let satisfied = false;
      let value: unknown;
      if (need.kind === "read") {
        const take = Math.min(need.n - this.buffered, chunk.length - at);
        this.buffer.set(chunk.subarray(at, at + take), this.buffered);
        this.buffered += take;
        at += take;
        if (this.buffered === need.n) {
          value = Buffer.from(this.buffer.subarray(0, need.n));
          this.buffered = 0;
          satisfied = true;
        }
      } else if (need.kind === "skip") {
        const take = Math.min(need.n, chunk.length - at);
        if (need.crc !== undefined) need.crc = crc32(chunk.subarray(at, at + take), need.crc);
        need.n -= take;
        at += take;
        if (need.n === 0) {
          value = need.crc;
          satisfied = true;
        }
      } else if (need.kind === "marker") {
        // Entropy-coded data: jump to the next 0xFF, then past any fill 0xFFs to the marker's code.
        if (!this.afterFill) {
          const found = chunk.indexOf(0xff, at);
          at = found === -1 ? chunk.length : found + 1;
          this.afterFill = found !== -1;
        }
        while (this.afterFill && at < chunk.length) {
          const code = chunk[at++]!;
          if (code !== 0xff) {
            this.afterFill = false;
            value = code;
            satisfied = true;
          }
        }
      }
      this.offset += at - start;
      if (satisfied) this.advance(value);
    }
  }

  /** At the end of the stream: throws unless the image ended exactly there. */
  end(): void {
    if (!this.finished) throw bad("the file ends before the image does");
  }
}
