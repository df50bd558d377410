import { createContext, type RequestInfo, type RestRoute, type Services } from "@tessera/api";
import type { TRPCRequestInfo } from "@trpc/server/http";
import type { Request, Response } from "express";

/** What createContext uses of the adapters' `info`. */
type CallInfo = Pick<TRPCRequestInfo, "type" | "connectionParams">;

/**
 * The credentials of a request: the Authorization header, or else, for a tRPC subscription only, the
 * `authorization` connection param with the same `Bearer <access_token>` value. Browsers' EventSource
 * cannot send headers, so httpSubscriptionLink's `connectionParams: { authorization: "Bearer …" }` is how
 * an SSE client authenticates; it travels in the URL, which is why nothing else accepts it. Verified in
 * one place either way: the `authenticated` middleware (packages/api/src/trpc.ts).
 */
function credentials(req: Request, transport: RequestInfo["transport"], info: CallInfo | undefined): string | undefined {
  if (req.headers.authorization !== undefined) return req.headers.authorization;
  if (transport !== "trpc" || info?.type !== "subscription") return undefined;
  return info.connectionParams?.authorization;
}

/** Builds a procedure's context from an express request (both /trpc and /api use it). */
export const contextFromRequest =
  (services: Services, transport: RequestInfo["transport"]) => ({ req, res, info }: { req: Request; res: Response; info?: CallInfo }) =>
    createContext(services, {
      transport,
      requestId: String(req.id),
      clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown",
      authorization: credentials(req, transport, info),
      bodyProblem: res.locals.bodyProblem as string | undefined,
      headers: req.headers,
      // Only to the routes that ask (rest.ts's routing found the route); an empty body has no bytes to keep.
      ...((res.locals.route as RestRoute | undefined)?.meta.rawBody && { rawBody: (res.locals.rawBody as Buffer | undefined) ?? Buffer.alloc(0) }),
    });
