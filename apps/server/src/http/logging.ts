import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { pinoHttp } from "pino-http";

const VALID_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** SSE clients send their access token in the `connectionParams` query parameter (EventSource has no headers). */
const redactUrl = (url: string) => url.replace(/([?&]connectionParams=)[^&]*/g, "$1[redacted]");

/** One JSON log line per request, keyed by the request id that is also sent back as X-Request-Id. */
export const requestLogging = (logger: Logger) =>
  pinoHttp({
    logger,
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const incoming = req.headers["x-request-id"];
      const id = typeof incoming === "string" && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader("X-Request-Id", id);
      return id;
    },
    // Only these fields: headers and bodies may carry passwords and tokens.
    serializers: {
      req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
