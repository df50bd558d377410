import cors from "cors";
import type { RequestHandler } from "express";
import helmet from "helmet";

/**
 * Response headers every route gets: helmet's defaults (its CSP allows the /docs page, which loads only
 * same-origin scripts), and CORS only for the configured origins (none by default: off).
 */
export function securityHeaders(corsOrigins: string[]): RequestHandler[] {
  return [
    helmet(),
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
