import type { AppRouter } from "@tessera/api";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { call, type Reply, userWithSession } from "./http.ts";

/** A REST caller bound to one server and (optionally) one access token. */
export const restClient = (baseUrl: string, token?: string) => (method: string, path: string, body?: unknown): Promise<Reply> =>
  call(baseUrl, method, path, { json: body, token });

/** The typed tRPC client, as an SDK user would build it. */
export const trpcClient = (baseUrl: string, token?: string) =>
  createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${baseUrl}/trpc`, headers: () => (token ? { Authorization: `Bearer ${token}` } : {}) })],
  });

/** Registers a user over REST and returns a fresh access token. */
export const signUp = async (baseUrl: string, username: string): Promise<string> =>
  (await userWithSession(baseUrl, { username })).tokens.access_token;
