import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import Negotiator from "negotiator";
import type { IncomingMessage } from "node:http";

export type Encoding = "br" | "gzip";

/** Answers smaller than this go out as they are: compressing them costs more than the bytes it saves. */
export const COMPRESS_FROM_BYTES = 1024;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * The encoding the request prefers of brotli and gzip (q-values honoured; brotli where the client likes both as
 * much, as browsers do), or undefined for neither.
 */
export function preferredEncoding(req: IncomingMessage): Encoding | undefined {
  if (req.headers["accept-encoding"] === undefined) return undefined;
  // negotiator 1.x takes the tie-breaking order as a second argument; its DefinitelyTyped types (0.6) do not know it.
  const negotiator = new Negotiator(req) as unknown as { encodings(available: string[], options: { preferred: string[] }): string[] };
  const chosen = negotiator.encodings(["br", "gzip", "identity"], { preferred: ["br", "gzip", "identity"] })[0];
  return chosen === "br" || chosen === "gzip" ? chosen : undefined;
}

/**
 * Compresses an answer off the event loop (zlib's thread pool). `level`: "fast" for answers made per request
 * (brotli quality 4, gzip 6: most of the size saved for little CPU), "small" for bytes compressed once and kept.
 */
export function compress(bytes: Buffer, encoding: Encoding, level: "fast" | "small" = "fast"): Promise<Buffer> {
  if (encoding === "gzip") return gzipAsync(bytes, { level: level === "fast" ? 6 : 9 });
  return brotli(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: level === "fast" ? 4 : 9,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
}
