import type { IncomingMessage, ServerResponse } from "node:http";
import cors from "cors";
import helmet from "helmet";
import type { Request, Response } from "./send.ts";

/**
 * helmet's headers do not depend on the request (no CSP nonces), so they are worked out once, by running helmet
 * against a recorder, and each response gets them in one loop.
 */
function helmetHeaders(options: Parameters<typeof helmet>[0]): [string, string][] {
  const headers: [string, string][] = [];
  const recorder = { setHeader: (name: string, value: string) => headers.push([name, value]), removeHeader() {} };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => {});
  return headers;
}

/** helmet's defaults, for requests that arrived over HTTPS. */
const OVER_HTTPS = helmetHeaders({});
/**
 * Over plain HTTP, the same without CSP's `upgrade-insecure-requests`: it tells the browser to fetch the page's
 * scripts over https, which on a plain-HTTP deployment (any host name but localhost) leaves the web app and /docs
 * blank.
 */
const OVER_HTTP = helmetHeaders({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });

/**
 * Whether the request arrived over HTTPS: on this server's own TLS socket, or, behind a proxy that TRUST_PROXY
 * trusts, as its X-Forwarded-Proto says (its first value, as express reads it).
 */
export function isHttps(req: Request, trust: (address: string, hop: number) => boolean): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  const forwarded = req.headers["x-forwarded-proto"];
  if (typeof forwarded !== "string" || !trust(req.socket.remoteAddress ?? "", 0)) return false;
  return forwarded.split(",", 1)[0]!.trim().toLowerCase() === "https";
}

/**
 * Response headers every route gets: helmet's defaults (its CSP allows the /docs page, which loads only
 * same-origin scripts; upgrade-insecure-requests only over HTTPS), and CORS only for the configured origins (none by
 * default: off). Returns whether the request is answered already (a CORS preflight).
 */
export function securityHeaders(corsOrigins: string[], trust: (address: string, hop: number) => boolean) {
  const setAll = (req: Request, res: Response) => {
    for (const [name, value] of isHttps(req, trust) ? OVER_HTTPS : OVER_HTTP) res.setHeader(name, value);
  };
  if (corsOrigins.length === 0) return (req: Request, res: Response): boolean | Promise<boolean> => (setAll(req, res), false);
  const corsHandler = cors({
    origin: corsOrigins,
    // What the API reads from a request (Idempotency-Key: checkout) and what a browser app may read of an answer.
    allowedHeaders: ["Authorization", "Content-Type", "X-Request-Id", "Idempotency-Key"],
    exposedHeaders: ["X-Request-Id", "Retry-After"],
    maxAge: 600,
  });
  return (req: Request, res: Response): boolean | Promise<boolean> => {
    setAll(req, res);
    // cors answers a preflight (OPTIONS with Access-Control-Request-Method) itself and does not call next.
    return new Promise<boolean>((resolve) => {
      res.once("finish", () => resolve(true));
      corsHandler(req, res, () => resolve(false));
    });
  };
}
