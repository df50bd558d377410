import { type AppCode, errorEnvelope, httpStatusOf } from "@tessera/api";
import type { Duplex } from "node:stream";
import type { Response } from "express";

/** Answers with the contract's error envelope and the code's HTTP status. */
export function sendError(res: Response, code: AppCode, message: string, headers: Record<string, string> = {}): void {
  res.status(httpStatusOf(code)).set(headers).json(errorEnvelope(code, message));
}

/**
 * What node:http answers itself, before express sees a request (request line or headers over 16 KiB, bytes
 * that are not HTTP): by default a bare status with no body. Answer with the contract's envelope instead.
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
    `HTTP/1.1 ${httpStatusOf("INVALID_REQUEST")} Bad Request\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
}
