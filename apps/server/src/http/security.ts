import type { IncomingMessage, ServerResponse } from "node:http";
import cors from "cors";
import type { RequestHandler } from "express";
import helmet from "helmet";

/**
 * helmet's default headers do not depend on the request (no CSP nonces), so they are worked out once, by
 * running helmet against a recorder, and each response gets them in one loop instead of twelve middlewares.
 */
function helmetHeaders(): RequestHandler {
  const headers: [string, string][] = [];
  const recorder = { setHeader: (name: string, value: string) => headers.push([name, value]), removeHeader() {} };
  helmet()({} as IncomingMessage, recorder as unknown as ServerResponse, () => {});
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

/**
 * Response headers every route gets: helmet's defaults (its CSP allows the /docs page, which loads only
 * same-origin scripts), and CORS only for the configured origins (none by default: off).
 */
export function securityHeaders(corsOrigins: string[]): RequestHandler[] {
  return [
    helmetHeaders(),
    ...(corsOrigins.length > 0
      ? [cors({ origin: corsOrigins, allowedHeaders: ["Authorization", "Content-Type", "X-Request-Id"], exposedHeaders: ["X-Request-Id", "Retry-After"], maxAge: 600 })]
      : []),
  ];
}

/** API answers depend on who asks: no shared or browser cache may keep them. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader("Cache-Control", "no-store");
  next();
};
