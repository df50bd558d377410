import { AppError, appRouter, type Services, toErrorEnvelope } from "@tessera/api";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import type { Logger } from "pino";
import { contextFromRequest } from "./request-context.ts";

const ONE_MIB = 1024 * 1024;

export const trpcApi = (services: Services, logger: Logger) =>
  createExpressMiddleware({
    router: appRouter,
    createContext: contextFromRequest(services, "trpc"),
    maxBodySize: ONE_MIB,
    responseMeta({ errors, eagerGeneration }) {
      const retryAfter = errors.find((error) => error instanceof AppError && error.retryAfter !== undefined) as AppError | undefined;
      return {
        headers: {
          // tRPC sends errors raised before any procedure runs (an undecodable path, a malformed batch) as JSON
          // without a Content-Type (so text/plain); every JSON answer says so. Streams (SSE) set their own.
          ...(!eagerGeneration && { "Content-Type": "application/json" }),
          ...(retryAfter && { "Retry-After": String(retryAfter.retryAfter) }),
        },
      };
    },
    onError({ error, req, path }) {
      if (toErrorEnvelope(error).code === "INTERNAL_SERVER_ERROR") {
        logger.error({ err: error.cause ?? error, reqId: (req as { id?: unknown }).id, path }, "tRPC procedure failed");
      }
    },
  });
