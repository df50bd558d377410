import { createOpenApiDocument, type Services } from "@tessera/api";
import express, { type ErrorRequestHandler } from "express";
import type { Logger } from "pino";
import { docs } from "./http/docs.ts";
import { health } from "./http/health.ts";
import { requestLogging } from "./http/logging.ts";
import { restApi } from "./http/rest.ts";
import { noStore, securityHeaders } from "./http/security.ts";
import { sendError } from "./http/send.ts";
import { trpcApi } from "./http/trpc.ts";
import { webApp } from "./http/web.ts";

export interface AppOptions {
  services: Services;
  logger: Logger;
  trustProxy: boolean | number | string;
  corsOrigins: string[];
}

export function createApp({ services, logger, trustProxy, corsOrigins }: AppOptions): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", trustProxy);

  const openApiDocument = createOpenApiDocument({ version: "1.0.0", baseUrl: "/api" });

  app.use(requestLogging(logger));
  app.use(securityHeaders(corsOrigins));
  app.use(health(services.ready));
  app.use("/api", noStore, restApi(services, logger, openApiDocument));
  app.use("/trpc", noStore, trpcApi(services, logger));
  app.use("/docs", docs());
  app.use(webApp());

  app.use((req, res) => sendError(res, "NOT_FOUND", `No route ${req.method} ${req.path}.`));
  const lastResort: ErrorRequestHandler = (error, req, res, _next) => {
    req.log.error({ err: error }, "unhandled error");
    if (res.headersSent) return void res.end();
    sendError(res, "INTERNAL_SERVER_ERROR", "Internal server error.");
  };
  app.use(lastResort);
  return app;
}
