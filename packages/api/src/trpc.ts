import { initTRPC } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import type { z } from "zod";
import { AppError, type AppCode, httpStatusOf, toErrorEnvelope } from "./envelope.ts";
import type { Services } from "./services/services.ts";
import type { StreamCaller } from "./services/live-streams.ts";
import { type FieldCodes, inputValidationError } from "./validation.ts";

/** What every transport tells a procedure about the request (the same for tRPC, REST and createCaller). */
export interface RequestInfo {
  requestId: string;
  clientAddress: string;
  authorization: string | undefined;
  /** The request's headers, names lower-cased (Idempotency-Key, Tessera-Signature). */
  headers?: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * The transport connection the request came on (its socket), when there is one: live streams are counted per
   * connection, and a stream's connection is closed when its client stopped reading (services/live-streams.ts).
   */
  connection?: { destroy(): void; resetAndDestroy?(): unknown };
  /**
   * The bytes this call's input was read from, when the transport received them as one piece (a request whose
   * body is this call's input); absent when the input came otherwise (a batch, a query string, createCaller).
   * A signature over a request's bytes (payment webhooks) is checked against them.
   */
  body?: Buffer;
}

/** One header's value (the first, if it was sent several times); undefined when absent. */
export const headerOf = (request: RequestInfo, name: string): string | undefined => {
  const value = request.headers?.[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * What every procedure gets: the process's services under one key (tRPC copies the context at each middleware
 * step, so it stays two keys wide) and what the transport tells about the request.
 */
export interface Context {
  services: Services;
  request: RequestInfo;
}

export const createContext = (services: Services, request: RequestInfo): Context => ({ services, request });

/** The context of a procedure behind `authenticated`: the caller is known. */
export type AuthedContext = Context & { auth: { user: { id: string; role: string } } };
/** What a handler of an authenticated procedure receives, typed by its input schema. */
export type AuthedCall<I extends z.ZodType> = { ctx: AuthedContext; input: z.infer<I> };

export type Meta = OpenApiMeta<{
  /** Contract codes for this procedure's field problems (see FieldCodes). */
  fieldCodes?: FieldCodes;
  /** HTTP status of a REST success; 200 when absent. */
  successStatus?: 200 | 201;
  /** The contract codes this route can answer with, for the OpenAPI document. */
  errors?: AppCode[];
}>;

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // Never send stack traces, whatever NODE_ENV says.
    isDev: false,
    // Subscriptions (SSE). A ping after 15 s of quiet keeps proxies from closing an idle stream, and its
    // write is how a client that vanished without closing its connection is eventually noticed (and its
    // subscription released). A client that hears nothing, not even a ping, for 40 s reconnects.
    // A stream is authenticated once, when it opens, and ended as soon as its session no longer stands
    // (services/live-streams.ts); ending it every 5 minutes, so that the client reconnects and authenticates
    // again, is the backstop for a change notice that was lost.
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 }, maxDurationMs: 5 * 60_000 },
    errorFormatter({ shape, error }) {
      const envelope = toErrorEnvelope(error);
      return {
        message: envelope.message,
        code: shape.code,
        data: {
          code: shape.data.code,
          httpStatus: httpStatusOf(envelope.code),
          path: shape.data.path,
          appCode: envelope.code,
          ...(envelope.details && { details: envelope.details }),
          ...(error instanceof AppError && error.retryAfter !== undefined && { retryAfter: error.retryAfter }),
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const isInputValidationError = (cause: unknown): cause is { issues: { path: PropertyKey[]; message: string; code?: string }[] } =>
  typeof cause === "object" && cause !== null && Array.isArray((cause as { issues?: unknown }).issues);

/** Rewrites schema failures into the contract's codes; wraps everything below it, input parsing included. */
const contractValidation = t.middleware(async ({ next, meta, getRawInput }) => {
  const result = await next();
  if (!result.ok && result.error.code === "BAD_REQUEST" && !(result.error instanceof AppError) && isInputValidationError(result.error.cause)) {
    throw inputValidationError(result.error.cause.issues, await getRawInput(), meta?.fieldCodes);
  }
  return result;
});

/**
 * Reads the call's input once access is settled. A transport may refuse an input it cannot read (an unusable
 * body, a badly encoded path parameter) when it is read: here, after authentication and the role check, as the
 * contract orders it (routing, then authentication, then validation), and also for procedures without an input
 * schema, which would otherwise never read it.
 */
const inputAfterAccess = t.middleware(async ({ next, getRawInput }) => {
  await getRawInput();
  return next();
});

const INVALID_TOKEN_MESSAGE = "Invalid or expired token.";

/**
 * The Identity of a request, from its bearer token: 401 INVALID_TOKEN unless it is valid, its session live and its
 * user active. Procedures get it through their builder; the one REST route outside the router (image upload,
 * apps/server) calls it directly.
 */
export async function authenticate(ctx: Context) {
  const match = /^Bearer ([^\s]+)$/i.exec(ctx.request.authorization ?? "");
  if (!match) throw new AppError("INVALID_TOKEN", "Authentication required: send Authorization: Bearer <access_token>.");
  const claims = ctx.services.tokens.verifyAccess(match[1]!);
  if (!claims) throw new AppError("INVALID_TOKEN", INVALID_TOKEN_MESSAGE);
  // One lookup answers revocation (logout, refresh-token reuse) and deactivation at once.
  const session = await ctx.services.sessions.find(claims.sessionId);
  if (!session || session.revoked_at !== null || session.user_id !== claims.userId || !session.user.is_active) {
    throw new AppError("INVALID_TOKEN", INVALID_TOKEN_MESSAGE);
  }
  return { user: session.user, sessionId: session.id };
}

/** Who a request is from, once authenticated: the active user (role included) and the session the token belongs to. */
export type Identity = Awaited<ReturnType<typeof authenticate>>;

/** Who a live stream belongs to (services/live-streams.ts): the caller as authenticated, and their connection. */
export function streamCaller(ctx: AuthedContext): StreamCaller {
  // `authenticated` puts the whole Identity, session included, in ctx.auth; AuthedContext names what most handlers read.
  const { user, sessionId } = ctx.auth as Identity;
  return { userId: user.id, sessionId, role: user.role, connection: ctx.request.connection };
}

const authenticated = t.middleware(async ({ ctx, next }) => next({ ctx: { auth: await authenticate(ctx) } }));

/** No token: an anonymous caller (auth null). A token that is sent must be valid, as everywhere else. */
const optionallyAuthenticated = t.middleware(async ({ ctx, next }) =>
  next({ ctx: { auth: ctx.request.authorization === undefined ? null : await authenticate(ctx) } }));

const baseProcedure = t.procedure.use(contractValidation);
const authedProcedure = baseProcedure.use(authenticated);

/** Routing, then authentication, then the role, then validation: the order docs/contract.md prescribes. */
export const publicProcedure = baseProcedure.use(inputAfterAccess);
export const protectedProcedure = authedProcedure.use(inputAfterAccess);
/** Public reads whose answer depends on who asks (an archived product shows to its seller and admins). */
export const viewerProcedure = baseProcedure.use(optionallyAuthenticated).use(inputAfterAccess);
/** The context of a viewerProcedure: the caller's Identity, or null when no token was sent. */
export type ViewerContext = Context & { auth: Identity | null };
/** What a handler of a viewerProcedure receives, typed by its input schema. */
export type ViewerCall<I extends z.ZodType> = { ctx: ViewerContext; input: z.infer<I> };
/** The role checks need no query: `authenticated` loaded the user (role included) with the session. */
const requireRole = (allowed: (role: string) => boolean, message: string) =>
  authedProcedure
    .use(({ ctx, next }) => {
      if (!allowed(ctx.auth.user.role)) throw new AppError("FORBIDDEN", message);
      return next();
    })
    .use(inputAfterAccess);

export const adminProcedure = requireRole((role) => role === "admin", "This route is for admins only.");
/** Selling routes (docs/contract.md): the role must be exactly `seller`; admins moderate but do not sell. */
export const sellerProcedure = requireRole((role) => role === "seller", "This route is for sellers only: become one with POST /api/seller/onboard.");
/** Becoming a seller: anyone signed in but admins, who moderate and do not sell (docs/contract.md). */
export const nonAdminProcedure = requireRole((role) => role !== "admin", "Admins moderate the marketplace but do not sell.");
