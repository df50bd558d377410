import type { Operation, TRPCLink } from "@trpc/client";
import { observable, type Unsubscribable } from "@trpc/server/observable";
import { toTesseraError } from "./errors.ts";
import type { TesseraRouter } from "./router.ts";
import type { Session } from "./session.ts";

/** Set on an operation's context: the access token it was sent with (undefined: none). */
export const SENT_TOKEN = "tessera.sentToken";

/** Public procedures that take credentials: they never carry the Bearer token, nor trigger a refresh. */
const CREDENTIAL_PATHS = new Set(["auth.register", "auth.token", "auth.login", "auth.refresh"]);
export const takesCredentials = (op: Pick<Operation, "path">) => CREDENTIAL_PATHS.has(op.path);

/**
 * The first link. Turns every error into a TesseraError, and when a call is answered INVALID_TOKEN, refreshes
 * the tokens (one refresh shared by all concurrent calls, see Session) and sends the call once more.
 *
 * A subscription may retry again once it has received data: a reconnection much later (tRPC's SSE link reconnects
 * after network trouble) can find the access token expired, and deserves its own refresh.
 */
export function authLink(session: Session, prepareSubscription: () => Promise<unknown>): TRPCLink<TesseraRouter> {
  return () => ({ op, next }) =>
    observable((observer) => {
      // A context of its own, so that headers() can note the token on it without touching the caller's object.
      const context: Record<string, unknown> = { ...op.context };
      let current: Unsubscribable | undefined;
      let stopped = false;
      let retried = false;

      const send = () => {
        current = next({ ...op, context }).subscribe({
          next(envelope) {
            // Data is progress; `started` is not: the SSE stream opens with it even when the procedure then refuses.
            const kind = (envelope.result as { type?: string }).type;
            if (kind === undefined || kind === "data") retried = false;
            observer.next(envelope);
          },
          error(cause) {
            const error = toTesseraError(cause);
            if (error.code !== "INVALID_TOKEN" || retried || takesCredentials(op)) {
              observer.error(error);
              return;
            }
            retried = true;
            session.recover(context[SENT_TOKEN] as string | undefined).then((retry) => {
              if (stopped) return;
              if (retry) start();
              else observer.error(error);
            }, () => observer.error(error));
          },
          complete: () => observer.complete(),
        });
      };

      const start = () => {
        if (op.type !== "subscription") return send();
        // The EventSource class first (Node 20 loads one, see event-source.ts); then the token: connectionParams
        // reads it when the EventSource connects, and it is noted here, where the op is at hand.
        prepareSubscription().then(() => session.accessToken()).then((token) => {
          context[SENT_TOKEN] = token;
          if (!stopped) send();
        }, (cause) => {
          if (!stopped) observer.error(toTesseraError(cause));
        });
      };

      start();
      return () => {
        stopped = true;
        current?.unsubscribe();
      };
    });
}

/**
 * A call's Idempotency-Key (POST /api/checkout requires one): `{ context: { idempotencyKey } }` on the call. Such a
 * call travels alone (a batch shares its HTTP headers), with the key in its `Idempotency-Key` header.
 */
export const idempotencyKeyOf = (op: Pick<Operation, "context">): string | undefined =>
  typeof op.context.idempotencyKey === "string" ? op.context.idempotencyKey : undefined;

/**
 * httpBatchLink's `headers`: one Authorization header per HTTP request, read once for the whole batch and noted on
 * each operation, so that a failure is compared with the token that was really sent.
 */
export const bearerHeaders = (session: Session) => async ({ opList }: { opList: readonly Operation[] }) => {
  const needsToken = opList.some((op) => !takesCredentials(op));
  const token = needsToken ? await session.accessToken() : undefined;
  for (const op of opList) op.context[SENT_TOKEN] = token;
  return token ? { authorization: `Bearer ${token}` } : {};
};

/** httpLink's `headers` for a call with an Idempotency-Key: the bearer token as above, and the key. */
export const keyedHeaders = (session: Session) => async ({ op }: { op: Operation }) => ({
  ...(await bearerHeaders(session)({ opList: [op] })),
  "Idempotency-Key": idempotencyKeyOf(op)!,
});
