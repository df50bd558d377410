import {
  createTRPCClient, type HTTPBatchLinkOptions, httpBatchLink, httpLink, httpSubscriptionLink, splitLink, type TRPCClient,
} from "@trpc/client";
import { toTesseraError } from "./errors.ts";
import { authLink, bearerHeaders, idempotencyKeyOf, keyedHeaders } from "./links.ts";
import type { LoginInput, RegisterInput, TesseraRouter, User } from "./router.ts";
import { createSession, toTokens } from "./session.ts";
import { memoryTokenStore, type TesseraTokens, type TokenStore } from "./token-store.ts";

/** The `fetch` the client calls: the global one by default. */
export type FetchLike = NonNullable<HTTPBatchLinkOptions<TesseraRouter["_def"]["_config"]["$types"]>["fetch"]>;
/** An `EventSource` class: the browser's, or e.g. the `eventsource` package's on Node 20. */
export type EventSourceConstructor = NonNullable<Parameters<typeof httpSubscriptionLink>[0]["EventSource"]>;

export interface TesseraClientOptions {
  /** The server's base URL (`https://api.example.com`); calls go to `<url>/trpc`. A URL ending in `/trpc` is used as is. */
  url: string;
  /** The global `fetch` by default. */
  fetch?: FetchLike | undefined;
  /** Where tokens live: memoryTokenStore() by default; localStorageTokenStore() keeps a browser signed in. */
  tokenStore?: TokenStore | undefined;
  /** For subscriptions: `globalThis.EventSource` by default. Node 20 has none: pass the `eventsource` package's. */
  EventSource?: EventSourceConstructor | undefined;
  /** Called whenever the stored tokens change: login, refresh, logout, or a refresh the server refused (`null`). */
  onTokensChange?: ((tokens: TesseraTokens | null) => void) | undefined;
}

/** Sign-in and token helpers; everything else is the router's procedures, e.g. `client.tasks.create.mutate(…)`. */
export interface TesseraAuth {
  /** Creates an account (does not sign in). Resolves with the new user. */
  register(input: RegisterInput): Promise<User>;
  /** Signs in with a username (or email) and password, and stores the tokens. */
  login(input: LoginInput): Promise<TesseraTokens>;
  /** Ends the session on the server and clears the stored tokens: cleared even when the server cannot be reached
   * (logout then rejects with NETWORK_ERROR). */
  logout(): Promise<void>;
  /** Rotates the tokens now. Calls refresh by themselves when the server says INVALID_TOKEN; this is for the rest. */
  refresh(): Promise<TesseraTokens>;
  /** The stored tokens, or `null` when signed out. */
  getTokens(): Promise<TesseraTokens | null>;
  /** Stores tokens obtained elsewhere (e.g. handed over by a server-rendered page), or clears them with `null`. */
  setTokens(tokens: TesseraTokens | null): Promise<void>;
}

/** The typed client of every procedure, plus the auth helpers. Every failure rejects with a TesseraError. */
export type TesseraClient = TRPCClient<TesseraRouter> & TesseraAuth;

// The helpers sit beside the router's top-level namespaces: a namespace of the same name would hide one, and
// would fail to compile here.
type NoClash<Names extends never> = Names;
type HelpersDoNotClash = NoClash<keyof TesseraAuth & keyof TesseraRouter["_def"]["record"]>;

const trpcUrl = (url: string) => {
  const base = url.replace(/\/+$/, "");
  return base.endsWith("/trpc") ? base : `${base}/trpc`;
};

const NO_EVENT_SOURCE =
  "Subscriptions need an EventSource and this runtime has none: pass one to createTesseraClient " +
  "(on Node 20, the EventSource class of the `eventsource` package).";

export function createTesseraClient(options: TesseraClientOptions): TesseraClient {
  const url = trpcUrl(options.url);
  const EventSource = options.EventSource;
  const session = createSession({
    store: options.tokenStore ?? memoryTokenStore(),
    // Goes through the same links; auth.refresh is a credential call, so it is neither authorised nor retried.
    exchange: async (refreshToken) => (await trpc.auth.refresh.mutate({ refresh_token: refreshToken })).data,
    onChange: options.onTokensChange,
  });

  const trpc: TRPCClient<TesseraRouter> = createTRPCClient<TesseraRouter>({
    links: [
      authLink(session, () => (EventSource ?? (globalThis as { EventSource?: unknown }).EventSource ? undefined : NO_EVENT_SOURCE)),
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({
          url,
          // EventSource cannot send headers: the server reads the token from connectionParams (sent in the URL).
          connectionParams: async () => {
            const token = await session.accessToken();
            return token ? { authorization: `Bearer ${token}` } : {};
          },
          // Undefined falls back to globalThis.EventSource, looked up per subscription.
          ...(EventSource && { EventSource }),
        }),
        false: splitLink({
          condition: (op) => idempotencyKeyOf(op) !== undefined,
          true: httpLink({ url, fetch: options.fetch, headers: keyedHeaders(session) }),
          false: httpBatchLink({ url, fetch: options.fetch, headers: bearerHeaders(session) }),
        }),
      }),
    ],
  });

  const auth: TesseraAuth = {
    register: async (input) => (await trpc.auth.register.mutate(input)).data,
    async login(input) {
      const tokens = toTokens((await trpc.auth.token.mutate(input)).data);
      await session.replace(tokens);
      return tokens;
    },
    async logout() {
      try {
        if (await session.tokens()) await trpc.auth.logout.mutate();
      } catch (cause) {
        // INVALID_TOKEN: the session is over already (expired, revoked, or its refresh refused), which is the goal.
        const error = toTesseraError(cause);
        if (error.code !== "INVALID_TOKEN") throw error;
      } finally {
        await session.replace(null);
      }
    },
    refresh: () => session.refresh(),
    getTokens: () => session.tokens(),
    setTokens: (tokens) => session.replace(tokens),
  };

  // The tRPC client is a proxy that answers any property with a procedure path; the helpers are looked up first.
  return new Proxy(trpc, {
    get: (target, key, receiver) => (Object.hasOwn(auth, key) ? auth[key as keyof TesseraAuth] : Reflect.get(target, key, receiver)),
    has: (target, key) => Object.hasOwn(auth, key) || Reflect.has(target, key),
  }) as TesseraClient;
}
