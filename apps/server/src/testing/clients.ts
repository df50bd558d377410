import type { AppRouter } from "@tessera/api";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { EventSource } from "eventsource";
import { call, type Reply } from "./http.ts";

/** A REST caller bound to one server and (optionally) one access token. */
export const restClient = (baseUrl: string, token?: string) => (method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply> =>
  call(baseUrl, method, path, { json: body, token, headers });

const bearer = (token: string | undefined) => (token ? { Authorization: `Bearer ${token}` } : {});

/** The typed tRPC client, as an SDK user would build it (with extra headers, e.g. an Idempotency-Key). */
export const trpcClient = (baseUrl: string, token?: string, headers: Record<string, string> = {}) =>
  createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${baseUrl}/trpc`, headers: () => ({ ...bearer(token), ...headers }) })],
  });

/**
 * The typed tRPC client with subscriptions over SSE, as a browser would build it: EventSource cannot send
 * headers, so the token goes in connectionParams (Node 20 has no global EventSource: the `eventsource` package).
 */
export const liveTrpcClient = (baseUrl: string, token?: string) =>
  createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({
          url: `${baseUrl}/trpc`,
          EventSource,
          ...(token && { connectionParams: { authorization: `Bearer ${token}` } }),
        }),
        false: httpBatchLink({ url: `${baseUrl}/trpc`, headers: () => bearer(token) }),
      }),
    ],
  });
