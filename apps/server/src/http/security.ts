import type { IncomingMessage, ServerResponse } from "node:http";
import cors from "cors";
import helmet from "helmet";
import type { Request, Response } from "./send.ts";

/**
 * helmet's default headers do not depend on the request (no CSP nonces), so they are worked out once, by running
 * helmet against a recorder, and each response gets them in one loop.
 */
function helmetHeaders(): [string, string][] {
  const headers: [string, string][] = [];
  const recorder = { setHeader: (name: string, value: string) => headers.push([name, value]), removeHeader() {} };
  helmet()({} as IncomingMessage, recorder as unknown as ServerResponse, () => {});
  return headers;
}

/**
 * Response headers every answer gets: helmet's defaults (its CSP allows the /docs page, which loads only
 * same-origin scripts), and CORS only for the configured origins (none by default: off). Returns whether the
 * request is answered already (a CORS preflight).
 */
export function securityHeaders(corsOrigins: string[]): (req: Request, res: Response) => Promise<boolean> | boolean {
  const headers = helmetHeaders();
  const setAll = (res: Response) => {
    for (const [name, value] of headers) res.setHeader(name, value);
  };
  if (corsOrigins.length === 0) return (_req, res) => (setAll(res), false);
  const corsHandler = cors({
    origin: corsOrigins,
    allowedHeaders: ["Authorization", "Content-Type", "X-Request-Id"],
    exposedHeaders: ["X-Request-Id", "Retry-After"],
    maxAge: 600,
  });
  return (req, res) => {
    setAll(res);
    // cors answers a preflight (OPTIONS with Access-Control-Request-Method) itself and does not call next.
    return new Promise<boolean>((resolve) => {
      res.once("finish", () => resolve(true));
      corsHandler(req, res, () => resolve(false));
    });
  };
}
