import { createContext, type RequestInfo, type Services } from "@tessera/api";
import type { Request, Response } from "express";

/** Builds a procedure's context from an express request (both /trpc and /api use it). */
export const contextFromRequest = (services: Services, transport: RequestInfo["transport"]) => ({ req, res }: { req: Request; res: Response }) =>
  createContext(services, {
    transport,
    requestId: String(req.id),
    clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown",
    authorization: req.headers.authorization,
    bodyProblem: res.locals.bodyProblem as string | undefined,
  });
