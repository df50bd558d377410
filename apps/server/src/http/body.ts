import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { Readable } from "node:stream";
import getRawBody from "raw-body";
import type { Request } from "./send.ts";

/** The JSON body limit of every route but the image upload (docs/contract.md). */
export const MAX_JSON_BODY = 1024 * 1024;

/**
 * How much of a refused body is still read (and thrown away) after the 413, so that the client, which is still
 * sending, gets to read the answer and the connection stays usable; past this the connection is cut.
 */
export const TOO_LARGE_DISCARD = 16 * 1024 * 1024;

/** No route takes input nested this deep; deeper bodies are refused before anything walks them recursively. */
const MAX_DEPTH = 64;

export type JsonBody =
  /** No body was sent. */
  | { kind: "none" }
  /** A body was sent: its bytes, and the object it holds or why it cannot be used. */
  | { kind: "read"; bytes: Buffer; value: Record<string, unknown>; problem?: undefined }
  | { kind: "read"; bytes: Buffer; value?: undefined; problem: string }
  /** Over MAX_JSON_BODY (said by Content-Length, or found while reading). */
  | { kind: "too large" };

/** As body-parser decides it: a request has a body when it says it has one (Transfer-Encoding or Content-Length). */
export const hasBody = (req: Request) => req.headers["transfer-encoding"] !== undefined || !Number.isNaN(Number.parseInt(req.headers["content-length"] ?? "", 10));

/** The body as sent, inflated when it says it is compressed (as body-parser does); null for an encoding we cannot read. */
function decoded(req: Request): Readable | null {
  const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase();
  if (encoding === "identity") return req;
  const inflate = encoding === "gzip" ? createGunzip() : encoding === "deflate" ? createInflate() : encoding === "br" ? createBrotliDecompress() : null;
  return inflate && req.pipe(inflate);
}

/** Nesting depth of parsed JSON beyond `limit`, measured without recursion. */
function exceedsDepth(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== "object" || current === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Reads a JSON request body whole. Any Content-Type is read as JSON (callers such as `curl -d` send form types); a
 * charset other than UTF-8, bytes that are not JSON, JSON that is not an object, or nesting deeper than 64 levels
 * are reported as the body's problem, for the procedure to answer after authentication (docs/contract.md: routing,
 * authentication, validation). Hand-written over raw-body rather than through a framework's body parser because
 * that order is the contract's: a parser would answer before the route knows who is asking.
 */
export async function readJsonBody(req: Request, limit = MAX_JSON_BODY): Promise<JsonBody> {
  if (!hasBody(req)) return { kind: "none" };
  const declared = Number.parseInt(req.headers["content-length"] ?? "", 10);
  if (declared > limit) return { kind: "too large" };
  const source = decoded(req);
  if (!source) return { kind: "read", bytes: Buffer.alloc(0), problem: "Request body is not valid JSON." };
  let bytes: Buffer;
  try {
    bytes = await getRawBody(source, { limit, length: source === req && !Number.isNaN(declared) ? declared : undefined });
  } catch (error) {
    if ((error as { type?: string }).type === "entity.too.large") return { kind: "too large" };
    return { kind: "read", bytes: Buffer.alloc(0), problem: "Request body is not valid JSON." };
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers["content-type"] ?? "")?.[1]?.toLowerCase();
  if (charset !== undefined && !charset.startsWith("utf-")) return { kind: "read", bytes, problem: "Request body is not valid JSON." };
  if (bytes.length === 0) return { kind: "read", bytes, value: {} };
  let value: unknown;
  try {
    const text = bytes.toString("utf8");
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return { kind: "read", bytes, problem: "Request body is not valid JSON." };
  }
  if (!isPlainObject(value)) return { kind: "read", bytes, problem: "Request body must be a JSON object." };
  if (exceedsDepth(value, MAX_DEPTH)) return { kind: "read", bytes, problem: `Request body is nested more than ${MAX_DEPTH} levels deep.` };
  return { kind: "read", bytes, value };
}

/**
 * After an answer sent before the body was read in full: drain what follows (bounded), so the client sees the
 * answer and a kept-alive connection can carry the next request (node does not drain a body someone began to read).
 */
export function discardBody(req: Request, limit: number): void {
  if (req.readableEnded) return;
  req.unpipe();
  let left = limit;
  req.on("data", (chunk: Buffer) => {
    left -= chunk.length;
    if (left < 0) req.destroy();
  });
  req.resume();
}
