import { AppError, httpStatusOf, type Services, toErrorEnvelope } from "@tessera/api";
import { getTRPCErrorFromUnknown } from "@trpc/server";
import type { Logger } from "pino";
import { discardBody, readJsonBody, TOO_LARGE_DISCARD } from "../body.ts";
import { contextFor, type RequestFacts } from "../request-context.ts";
import { type Request, type Response, sendError, sendJson, writeJson } from "../send.ts";
import { imageRoutes } from "./images.ts";
import { rawInputOf, takesBody } from "./input.ts";
import { createOpenApiDocument } from "./openapi.ts";
import { DOCUMENT_PATH, matchRoute, type RestRoute } from "./routes.ts";

/**
 * The REST surface at /api: one route table derived from the procedures' OpenAPI meta (./routes.ts), matched once
 * per request; the procedure is called directly with the request's input, and the contract's envelope is written
 * once. Order: routing (404, 405 with Allow), then the body limit (413), then authentication and the role (in the
 * procedure), then the input (400s), then the procedure's own answer.
 */
export function restApi(services: Services, logger: Logger) {
  const documentJson = JSON.stringify(createOpenApiDocument({ version: "1.0.0", baseUrl: "/api" }));
  const images = imageRoutes(services, logger);

  async function callProcedure(req: Request, res: Response, facts: RequestFacts, route: RestRoute, method: string, rawParameters: string[], rawQuery: string) {
    const body = await readJsonBody(req);
    if (body.kind === "too large") {
      sendError(res, "PAYLOAD_TOO_LARGE", "Request body exceeds the 1 MiB limit.");
      return discardBody(req, TOO_LARGE_DISCARD);
    }
    const procedure = route.procedure!;
    // The bytes of a body that is the input itself: a signature over them (the payment webhook) is checked there.
    const bytes = takesBody(method) ? (body.kind === "read" ? body.bytes : Buffer.alloc(0)) : undefined;
    try {
      const data = await procedure({
        path: route.procedurePath,
        type: procedure._def.type,
        ctx: contextFor(services, req, facts, { body: bytes }),
        getRawInput: rawInputOf(route, method, rawParameters, rawQuery, body),
        signal: undefined,
        batchIndex: 0,
      });
      sendJson(res, route.successStatus, data);
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      const envelope = toErrorEnvelope(error);
      if (envelope.code === "INTERNAL_SERVER_ERROR") {
        logger.error({ err: error.cause ?? error, reqId: facts.requestId, path: route.procedurePath }, "REST procedure failed");
      }
      const retryAfter = error instanceof AppError ? error.retryAfter : undefined;
      sendJson(res, httpStatusOf(envelope.code), envelope, retryAfter !== undefined ? { "Retry-After": String(retryAfter) } : undefined);
    }
  }

  /** `path` is relative to /api, without the query; `rawQuery` is what follows the `?`. */
  return async (req: Request, res: Response, facts: RequestFacts, path: string, rawQuery: string): Promise<void> => {
    const method = req.method ?? "GET";
    if (path === DOCUMENT_PATH || path === `${DOCUMENT_PATH}/`) {
      facts.route = `/api${DOCUMENT_PATH}`;
      if (method !== "GET" && method !== "HEAD") return sendError(res, "METHOD_NOT_ALLOWED", `Method ${method} is not allowed here.`, { Allow: "GET, HEAD" });
      return writeJson(res, 200, documentJson);
    }
    const { routes, allowed, rawParameters } = matchRoute(path);
    if (routes.length === 0) return sendError(res, "NOT_FOUND", `No route ${method} /api${path}.`);
    facts.route = `/api${routes[0]!.path}`;
    if (!allowed.includes(method)) return sendError(res, "METHOD_NOT_ALLOWED", `Method ${method} is not allowed here.`, { Allow: allowed.join(", ") });
    const routeMethod = method === "HEAD" ? "GET" : method;
    const route = routes.find((candidate) => candidate.method === routeMethod)!;
    if (route.kind === "http") return images(req, res, facts, route, rawParameters);
    return callProcedure(req, res, facts, route, routeMethod, rawParameters, rawQuery);
  };
}
