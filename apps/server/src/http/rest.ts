import {
  AppError, appRouter, errorEnvelopeFromRestBody, httpStatusOf, type RestRoute, restRoutesAt, type Services, successStatusOf,
  toErrorEnvelope,
} from "@tessera/api";
import { Router, type RequestHandler } from "express";
import type { Logger } from "pino";
import { createOpenApiExpressMiddleware } from "trpc-to-openapi";
import { imageRoutes } from "./images.ts";
import { jsonBody } from "./json-body.ts";
import { contextFromRequest } from "./request-context.ts";
import { sendError } from "./send.ts";

const OPENAPI_PATH = /^\/openapi\.json\/?$/;

/** Unknown path: 404; known path, other method: 405 with Allow. Decided before auth and body. */
const routing: RequestHandler = (req, res, next) => {
  const routes = restRoutesAt(req.path);
  const methods = OPENAPI_PATH.test(req.path) ? ["GET"] : routes.map((route) => route.method);
  if (methods.length === 0) return sendError(res, "NOT_FOUND", `No route ${req.method} /api${req.path}.`);
  const allowed = methods.includes("GET") ? [...methods, "HEAD"] : methods;
  if (!allowed.includes(req.method)) {
    return sendError(res, "METHOD_NOT_ALLOWED", `Method ${req.method} is not allowed here.`, { Allow: allowed.join(", ") });
  }
  // HEAD runs the GET procedure; node's http server drops the body of a HEAD response.
  if (req.method === "HEAD") req.method = "GET";
  res.locals.route = routes.find((route) => route.method === req.method);
  next();
};

/**
 * Query strings are text. Numeric fields become numbers only when they are plain digits (the
 * adapter's own coercion, which would take "0x10" or " 7", is switched off by withoutCoercion).
 * The adapter drops falsy values (`?status=`, `?limit=0`), which would fall back to defaults;
 * wrapped in a one-element list they reach the procedure as they are, to be refused.
 */
const queryValues: RequestHandler = (req, res, next) => {
  const numeric = new Set((res.locals.route as RestRoute | undefined)?.numericQueryFields);
  const query = Object.fromEntries(
    Object.entries(req.query).map(([name, value]) => {
      if (typeof value !== "string") return [name, value];
      return [name, [numeric.has(name) && /^\d{1,15}$/.test(value) ? Number(value) : value]];
    }),
  );
  Object.defineProperty(req, "query", { value: query, configurable: true, enumerable: true });
  next();
};

/** Rewrites the adapter's error bodies into the contract envelope (see errorEnvelopeFromRestBody). */
const envelopeErrors: RequestHandler = (_req, res, next) => {
  const end = res.end.bind(res) as (chunk?: unknown) => typeof res;
  res.end = ((chunk?: unknown) => {
    if (res.statusCode >= 400 && typeof chunk === "string") {
      return end(JSON.stringify(errorEnvelopeFromRestBody(JSON.parse(chunk))));
    }
    return end(chunk);
  }) as typeof res.end;
  next();
};

export function restApi(services: Services, logger: Logger, openApiDocument: object): Router {
  const api = Router();
  api.use(routing);
  api.get("/openapi.json", (_req, res) => void res.json(openApiDocument));
  // Image upload and image bytes: not JSON, not procedures (httpRoutes); before the JSON body parser.
  api.use(imageRoutes(services, logger));
  api.use(
    jsonBody,
    queryValues,
    envelopeErrors,
    createOpenApiExpressMiddleware({
      router: appRouter,
      createContext: contextFromRequest(services, "rest"),
      responseMeta({ paths, errors }) {
        const [error] = errors;
        if (!error) return { status: successStatusOf.get(paths?.[0] ?? "") ?? 200 };
        const retryAfter = error instanceof AppError ? error.retryAfter : undefined;
        return {
          status: httpStatusOf(toErrorEnvelope(error).code),
          headers: retryAfter !== undefined ? { "Retry-After": String(retryAfter) } : {},
        };
      },
      onError({ error, req, path }) {
        if (toErrorEnvelope(error).code === "INTERNAL_SERVER_ERROR") {
          logger.error({ err: error.cause ?? error, reqId: (req as { id?: unknown }).id, path }, "REST procedure failed");
        }
      },
    }),
  );
  return api;
}
