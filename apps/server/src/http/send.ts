import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { type AppCode, errorEnvelope, httpStatusOf } from "@tessera/api";

export type Request = IncomingMessage;
export type Response = ServerResponse;

/** Writes a whole JSON answer: every JSON body the server sends goes out here (REST, tRPC's fast path, health). */
export function sendJson(res: Response, status: number, body: unknown, headers?: Record<string, string>): void {
  writeJson(res, status, JSON.stringify(body), headers);
}

/** sendJson for a body serialised already (the OpenAPI document, made once). */
export function writeJson(res: Response, status: number, json: string, headers?: Record<string, string>): void {
  res.statusCode = status;
  if (headers) for (const name in headers) res.setHeader(name, headers[name]!);
  res.setHeader("Content-Type", "application/json");
  res.setHeader("Content-Length", Buffer.byteLength(json));
  res.end(json);
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
