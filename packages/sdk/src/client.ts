import {
  createTRPCClient, type HTTPBatchLinkOptions, httpBatchLink, httpLink, httpSubscriptionLink, splitLink, type TRPCClient,
} from "@trpc/client";
import { toTesseraError } from "./errors.ts";
import { deferredEventSource, type EventSourceConstructor, resolveEventSource } from "./event-source.ts";
import { authLink, bearerHeaders, idempotencyKeyOf, keyedHeaders } from "./links.ts";
import type { LoginInput, RegisterInput, TesseraRouter, User } from "./router.ts";
import { createSession, toTokens } from "./session.ts";
import { memoryTokenStore, type TesseraTokens, type TokenStore } from "./token-store.ts";
import { imageUploader, type ImageData, type UploadedImage, type UploadImageOptions } from "./upload.ts";

export type { EventSourceConstructor };

/** The `fetch` the client calls: the global one by default. */
/** The most calls the server takes in one batched request (its `maxBatchSize`). */
const MAX_BATCH_ITEMS = 20;

export type FetchLike = NonNullable<HTTPBatchLinkOptions<TesseraRouter["_def"]["_config"]["$types"]>["fetch"]>;

export interface TesseraClientOptions {
  /**
   * The server's base URL (`https://api.example.com`): procedures go to `<url>/trpc`, the image upload to
   * `<url>/api/…`. A URL ending in `/trpc` is taken for the same server.
   */
  url: string;
  /** The global `fetch` by default. */
  fetch?: FetchLike | undefined;
  /** Where tokens live: memoryTokenStore() by default; localStorageTokenStore() keeps a browser signed in. */
  tokenStore?: TokenStore | undefined;
  /**
   * For subscriptions: `globalThis.EventSource` by default, and where there is none (Node 20) the `eventsource`
   * package's, which the SDK depends on and loads on the first subscription.
   */
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
  /**
   * Uploads an image of one of your products (`POST /api/products/{id}/images`, multipart): a File or Blob, or bytes
   * such as a Node Buffer. Resolves with the stored image; rejects with a TesseraError (`UNSUPPORTED_MEDIA_TYPE`,
   * `IMAGE_TOO_LARGE`, `TOO_MANY_IMAGES`, `PRODUCT_NOT_FOUND`, …). Refreshes the tokens like any call.
   */
  uploadProductImage(productId: string, image: ImageData, options?: UploadImageOptions): Promise<UploadedImage>;
}

/** The typed client of every procedure, plus the auth helpers. Every failure rejects with a TesseraError. */
export type TesseraClient = TRPCClient<TesseraRouter> & TesseraAuth;

// The helpers sit beside the router's top-level namespaces: a namespace of the same name would hide one, and
// would fail to compile here.
type NoClash<Names extends never> = Names;
type HelpersDoNotClash = NoClash<keyof TesseraAuth & keyof TesseraRouter["_def"]["record"]>;

/** The server's root, from the `url` option (which may end in `/trpc`). */
const serverRoot = (url: string) => url.replace(/\/+$/, "").replace(/\/trpc$/, "");

export function createTesseraClient(options: TesseraClientOptions): TesseraClient {
  const url = `${serverRoot(options.url)}/trpc`;
  // Resolved before each subscription connects (authLink awaits it); read by the EventSource tRPC constructs.
  let EventSource: EventSourceConstructor | undefined;
  const prepareSubscription = async () => {
    EventSource = await resolveEventSource(options.EventSource);
  };
  const session = createSession({
    store: options.tokenStore ?? memoryTokenStore(),
    // Goes through the same links; auth.refresh is a credential call, so it is neither authorised nor retried.
    exchange: async (refreshToken) => (await trpc.auth.refresh.mutate({ refresh_token: refreshToken })).data,
    onChange: options.onTokensChange,
  });

  const trpc: TRPCClient<TesseraRouter> = createTRPCClient<TesseraRouter>({
    links: [
      authLink(session, prepareSubscription),
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({
          url,
          // EventSource cannot send headers: the server reads the token from connectionParams (sent in the URL).
          connectionParams: async () => {
            const token = await session.accessToken();
            return token ? { authorization: `Bearer ${token}` } : {};
          },
          EventSource: deferredEventSource(() => EventSource),
        }),
        false: splitLink({
          condition: (op) => idempotencyKeyOf(op) !== undefined,
          true: httpLink({ url, fetch: options.fetch, headers: keyedHeaders(session) }),
          // The server answers batches of up to 20 calls (more is 400 BAD_REQUEST): more calls at once go as several.
          false: httpBatchLink({ url, fetch: options.fetch, headers: bearerHeaders(session), maxItems: MAX_BATCH_ITEMS }),
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
    uploadProductImage: imageUploader(`${serverRoot(options.url)}/api`, session, options.fetch),
  };

  // The tRPC client is a proxy that answers any property with a procedure path; the helpers are looked up first.
  return new Proxy(trpc, {
    get: (target, key, receiver) => (Object.hasOwn(auth, key) ? auth[key as keyof TesseraAuth] : Reflect.get(target, key, receiver)),
    has: (target, key) => Object.hasOwn(auth, key) || Reflect.has(target, key),
  }) as TesseraClient;
}
