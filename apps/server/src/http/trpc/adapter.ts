import { AppError, appRouter, type Services, toErrorEnvelope } from "@tessera/api";
import type { TRPCError } from "@trpc/server";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import type { TRPCRequestInfo } from "@trpc/server/http";
import type { Logger } from "pino";
import { MAX_JSON_BODY } from "../body.ts";
import { contextFor, type RequestFacts } from "../request-context.ts";
import type { Request, Response } from "../send.ts";

/** The most calls one /trpc request may carry (tRPC answers more with 400 BAD_REQUEST); the SDK batches up to this. */
export const MAX_BATCH_SIZE = 20;

/**
 * The credentials of a tRPC request: the Authorization header, or else, for a subscription only, the
 * `authorization` connection param with the same `Bearer <access_token>` value. Browsers' EventSource cannot send
 * headers, so httpSubscriptionLink's `connectionParams: { authorization: "Bearer …" }` is how an SSE client
 * authenticates; it travels in the URL, which is why nothing else accepts it. Verified in one place either way:
 * `authenticate` in @tessera/api.
 */
function credentials(req: Request, info: Pick<TRPCRequestInfo, "type" | "connectionParams">): string | undefined {
  if (req.headers.authorization !== undefined) return req.headers.authorization;
  if (info.type !== "subscription") return undefined;
  return info.connectionParams?.authorization;
}

/** Headers of a tRPC answer (both paths): JSON's Content-Type, and Retry-After when a call was throttled. */
export function trpcResponseHeaders(errors: readonly TRPCError[], eagerGeneration: boolean): Record<string, string> {
  const retryAfter = errors.find((error) => error instanceof AppError && error.retryAfter !== undefined) as AppError | undefined;
  return {
    // tRPC sends errors raised before any procedure runs (an undecodable path, a malformed batch) as JSON
    // without a Content-Type (so text/plain); every JSON answer says so. Streams (SSE) set their own.
    ...(!eagerGeneration && { "Content-Type": "application/json" }),
    ...(retryAfter && { "Retry-After": String(retryAfter.retryAfter) }),
  };
}

/** Logs what the caller only sees as INTERNAL_SERVER_ERROR. */
export const logInternal = (logger: Logger, error: TRPCError, requestId: string, path: string | undefined) => {
  if (toErrorEnvelope(error).code === "INTERNAL_SERVER_ERROR") logger.error({ err: error.cause ?? error, reqId: requestId, path }, "tRPC procedure failed");
};

/**
 * tRPC's own node adapter: every /trpc request the fast path (./fast-path.ts) does not answer itself goes here —
 * subscriptions (SSE), streaming links, and every malformed or unusual request, whose answers are tRPC's own.
 * `path` is the last segment of the URL path, as tRPC's adapters take it.
 */
export function trpcAdapter(services: Services, logger: Logger) {
  return (req: Request, res: Response, facts: RequestFacts, path: string) =>
    nodeHTTPRequestHandler({
      router: appRouter,
      req,
      res,
      path,
      maxBodySize: MAX_JSON_BODY,
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: ({ info }) => contextFor(services, req, facts, { authorization: credentials(req, info) }),
      responseMeta: ({ errors, eagerGeneration }) => ({ headers: trpcResponseHeaders(errors, eagerGeneration) }),
      onError: ({ error, path: procedurePath }) => logInternal(logger, error, facts.requestId, procedurePath),
    });
}
