import {
  AppError, appRouter, errorEnvelopeFromRestBody, httpStatusOf, restMethodsByPath, type Services, successStatusOf, toErrorEnvelope,
} from "@tessera/api";
import { Router, type RequestHandler } from "express";
import type { Logger } from "pino";
import { createOpenApiExpressMiddleware } from "trpc-to-openapi";
import { jsonBody } from "./json-body.ts";
import { contextFromRequest } from "./request-context.ts";
import { sendError } from "./send.ts";

const routes = [...restMethodsByPath(), { pattern: /^\/openapi\.json\/?$/, methods: ["GET"] }];

/** Unknown path: 404; known path, other method: 405 with Allow. Decided before auth and body. */
const routing: RequestHandler = (req, res, next) => {
  const methods = routes.find((route) => route.pattern.test(req.path))?.methods;
  if (!methods) return sendError(res, "NOT_FOUND", `No route ${req.method} /api${req.path}.`);
  const allowed = methods.includes("GET") ? [...methods, "HEAD"] : methods;
  if (!allowed.includes(req.method)) {
    return sendError(res, "METHOD_NOT_ALLOWED", `Method ${req.method} is not allowed here.`, { Allow: allowed.join(", ") });
  }
  // HEAD runs the GET procedure; node's http server drops the body of a HEAD response.
  if (req.method === "HEAD") req.method = "GET";
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
  api.use(
    jsonBody,
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
