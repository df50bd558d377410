import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { type AppCode, errorEnvelope, httpStatusOf } from "@tessera/api";
import { COMPRESS_FROM_BYTES, compress, preferredEncoding } from "./compression.ts";

export type Request = IncomingMessage;
export type Response = ServerResponse;

/** Writes a whole JSON answer: every JSON body the server sends goes out here (REST, tRPC's fast path, health). */
export function sendJson(res: Response, status: number, body: unknown, headers?: Record<string, string>): void {
  writeJson(res, status, JSON.stringify(body), headers);
}

/**
 * sendJson for a body serialised already. From 1 KiB on, the body is compressed when the request accepts brotli or
 * gzip (off the event loop); smaller answers, most of them, go out at once.
 */
export function writeJson(res: Response, status: number, json: string, headers?: Record<string, string>): void {
  res.statusCode = status;
  if (headers) for (const name in headers) res.setHeader(name, headers[name]!);
  res.setHeader("Content-Type", "application/json");
  const encoding = json.length >= COMPRESS_FROM_BYTES ? preferredEncoding(res.req) : undefined;
  if (json.length >= COMPRESS_FROM_BYTES) res.setHeader("Vary", appendVary(res, "Accept-Encoding"));
  if (encoding === undefined) {
    res.setHeader("Content-Length", Buffer.byteLength(json));
    res.end(json);
    return;
  }
  compress(Buffer.from(json), encoding).then(
    (compressed) => {
      res.setHeader("Content-Encoding", encoding);
      res.setHeader("Content-Length", compressed.length);
      res.end(compressed);
    },
    (error: unknown) => res.destroy(error as Error),
  );
}

/** The Vary header with `value` added (a tRPC answer already varies by its accept headers). */
function appendVary(res: Response, value: string): string {
  const current = res.getHeader("Vary");
  return current === undefined ? value : `${String(current)}, ${value}`;
}

/** A whole text answer of the given Content-Type (the metrics). */
export function writeText(res: Response, status: number, contentType: string, text: string): void {
  res.statusCode = status;
  res.setHeader("Content-Type", contentType);
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(text);
}

/** Answers with the contract's error envelope and the code's HTTP status. */
export function sendError(res: Response, code: AppCode, message: string, headers?: Record<string, string>): void {
  sendJson(res, httpStatusOf(code), errorEnvelope(code, message), headers);
}

/**
 * What node:http answers itself, before the front door sees a request (request line or headers over 16 KiB,
 * bytes that are not HTTP): by default a bare status with no body. Answer with the contract's envelope instead.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || error.code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") {
    socket.end("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n"); // as node does: the client sent nothing in time
    return;
  }
  const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
  const body = JSON.stringify(errorEnvelope("INVALID_REQUEST", tooLarge ? "Request line or headers exceed 16 KiB." : "Malformed HTTP request."));
  socket.end(
    `HTTP/1.1 ${httpStatusOf("INVALID_REQUEST")} Bad Request\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
}
