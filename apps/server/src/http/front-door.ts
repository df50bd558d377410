import { appRouter, type Services } from "@tessera/api";
import type { Logger } from "pino";
import { docs } from "./docs.ts";
import { HEALTH_PATHS, health } from "./health.ts";
import { logAnswer, requestIdOf, whenAnswered } from "./logging.ts";
import type { Metrics } from "./metrics.ts";
import { clientAddressOf, type RequestFacts, trustOf } from "./request-context.ts";
import { restApi } from "./rest/dispatch.ts";
import { securityHeaders } from "./security.ts";
import { type Request, type Response, sendError, writeText } from "./send.ts";
import { trpcAdapter } from "./trpc/adapter.ts";
import { trpcFastPath } from "./trpc/fast-path.ts";
import { webApp, WEB_DIST } from "./web.ts";

export interface FrontDoorOptions {
  services: Services;
  logger: Logger;
  trustProxy: boolean | number | string;
  corsOrigins: string[];
  metrics: Metrics;
  /** When set, GET /metrics needs `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
  /** The built web app's folder (tests pass their own). */
  webDist?: string;
}

/** A /trpc request's route for the metrics: its procedure's path, `batch` for several, `unknown` for no procedure. */
function trpcRoute(path: string): string {
  if (path.includes(",")) return "/trpc/batch";
  return Object.hasOwn(appRouter._def.procedures, path) ? `/trpc/${path}` : "/trpc/unknown";
}

/** `/api`, or a path below it. */
const under = (pathname: string, prefix: string) => pathname === prefix || pathname.startsWith(`${prefix}/`);

/** The path and the query string of a request line (which may be absolute-form, `http://host/path?query`). */
function splitUrl(url: string): [string, string] {
  const target = url.startsWith("/") ? url : (() => {
    try {
      const parsed = new URL(url);
      return parsed.pathname + parsed.search;
    } catch {
      return "/";
    }
  })();
  const question = target.indexOf("?");
  return question < 0 ? [target, ""] : [target.slice(0, question), target.slice(question + 1)];
}

/**
 * The one request listener of the node:http server: what every request gets (its id, the security headers, one log
 * line after the answer), then the route by prefix — /api (the REST dispatcher), /trpc (the fast path, else tRPC's
 * adapter), /healthz and /readyz, /docs, the web app — and the JSON 404 for anything else.
 */
export function frontDoor({ services, logger, trustProxy, corsOrigins, metrics, metricsToken, webDist = WEB_DIST }: FrontDoorOptions) {
  const trust = trustOf(trustProxy);
  const security = securityHeaders(corsOrigins, trust);
  const rest = restApi(services, logger);
  const trpcFast = trpcFastPath(services, logger);
  const trpc = trpcAdapter(services, logger);
  const healthRoutes = health(services.ready);
  const docsPage = docs();
  const web = webApp(webDist);

  /** GET /metrics, in Prometheus's text format; behind METRICS_TOKEN when one is set. */
  async function metricsRoute(req: Request, res: Response, method: string): Promise<void> {
    if (method !== "GET" && method !== "HEAD") return sendError(res, "METHOD_NOT_ALLOWED", `Method ${method} is not allowed here.`, { Allow: "GET, HEAD" });
    if (metricsToken !== undefined && req.headers.authorization !== `Bearer ${metricsToken}`) {
      return sendError(res, "INVALID_TOKEN", "Send Authorization: Bearer <METRICS_TOKEN>.");
    }
    res.setHeader("Cache-Control", "no-store");
    writeText(res, 200, metrics.registry.contentType, await metrics.registry.metrics());
  }

  async function route(req: Request, res: Response, facts: RequestFacts, pathname: string, rawQuery: string): Promise<void> {
    const method = req.method ?? "GET";
    if (under(pathname, "/api")) {
      // API answers depend on who asks: no shared or browser cache may keep them.
      res.setHeader("Cache-Control", "no-store");
      return rest(req, res, facts, pathname.slice("/api".length) || "/", rawQuery);
    }
    if (under(pathname, "/trpc")) {
      res.setHeader("Cache-Control", "no-store");
      // tRPC's adapters take the procedure path from the URL path's last segment.
      const path = pathname.slice(pathname.lastIndexOf("/") + 1);
      facts.route = trpcRoute(path);
      if (await trpcFast(req, res, facts, path, new URL(req.url ?? "/", "http://localhost"))) return;
      return trpc(req, res, facts, path);
    }
    const bare = pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
    if (HEALTH_PATHS.has(bare)) return (facts.route = bare), healthRoutes(method, bare, res);
    if (bare === "/metrics") return (facts.route = bare), metricsRoute(req, res, method);
    if (under(pathname, "/docs") && (await docsPage(req, res, pathname.slice("/docs".length), rawQuery))) return void (facts.route = "/docs");
    if (await web(req, res, pathname, rawQuery)) return void (facts.route = "web app");
    sendError(res, "NOT_FOUND", `No route ${method} ${pathname}.`);
  }

  return (req: Request, res: Response): void => {
    const startedAt = performance.now();
    const facts: RequestFacts = { requestId: requestIdOf(req), clientAddress: clientAddressOf(req, trust), route: "unknown" };
    res.setHeader("X-Request-Id", facts.requestId);
    whenAnswered(res, () => {
      const milliseconds = performance.now() - startedAt;
      metrics.observe(req.method ?? "GET", facts.route, res.statusCode, milliseconds / 1000);
      logAnswer(logger, req, res, facts, milliseconds);
    });
    const [pathname, rawQuery] = splitUrl(req.url ?? "/");
    const answer = async () => {
      if (await security(req, res)) return; // a CORS preflight, answered
      await route(req, res, facts, pathname, rawQuery);
    };
    answer().catch((error: unknown) => {
      logger.error({ err: error, reqId: facts.requestId }, "unhandled error");
      if (res.headersSent) return void res.destroy();
      sendError(res, "INTERNAL_SERVER_ERROR", "Internal server error.");
    });
  };
}
