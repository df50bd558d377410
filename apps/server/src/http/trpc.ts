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
    responseMeta({ errors }) {
      const retryAfter = errors.find((error) => error instanceof AppError && error.retryAfter !== undefined) as AppError | undefined;
      return retryAfter ? { headers: { "Retry-After": String(retryAfter.retryAfter) } } : {};
    },
    onError({ error, req, path }) {
      if (toErrorEnvelope(error).code === "INTERNAL_SERVER_ERROR") {
        logger.error({ err: error.cause ?? error, reqId: (req as { id?: unknown }).id, path }, "tRPC procedure failed");
      }
    },
  });
