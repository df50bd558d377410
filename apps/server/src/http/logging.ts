import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Request, Response } from "./send.ts";

const VALID_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** SSE clients send their access token in the `connectionParams` query parameter (EventSource has no headers). */
const redactUrl = (url: string) => (url.includes("connectionParams=") ? url.replace(/([?&]connectionParams=)[^&]*/g, "$1[redacted]") : url);

/** The request's id: the incoming X-Request-Id when it is one we accept, else a new UUID. Sent back as X-Request-Id. */
export function requestIdOf(req: Request): string {
  const incoming = req.headers["x-request-id"];
  return typeof incoming === "string" && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * One JSON log line per request, once its answer is written (or the client left first), keyed by the request id.
 * Only these fields: headers and bodies may carry passwords and tokens.
 */
export function logAnswer(logger: Logger, req: Request, res: Response, facts: { requestId: string; clientAddress: string }, milliseconds: number): void {
  const fields = {
    req: { id: facts.requestId, method: req.method, url: redactUrl(req.url ?? ""), remoteAddress: facts.clientAddress },
    res: { statusCode: res.statusCode },
    responseTime: Math.round(milliseconds),
  };
  if (!res.writableFinished) logger.warn(fields, "request aborted");
  else if (res.statusCode >= 500) logger.error(fields, "request errored");
  else logger.info(fields, "request completed");
}

/** Calls `done` once, when the answer has been written or the connection closed first. */
export function whenAnswered(res: Response, done: () => void): void {
  const once = () => {
    res.off("finish", once);
    res.off("close", once);
    done();
  };
  res.once("finish", once);
  res.once("close", once);
}
