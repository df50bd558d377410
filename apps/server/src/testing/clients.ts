import type { AppRouter } from "@tessera/api";
import { createTRPCClient, httpBatchLink } from "@trpc/client";

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
}

/** A REST caller bound to one server and (optionally) one access token. */
export function restClient(baseUrl: string, token?: string) {
  return async (method: string, path: string, body?: unknown): Promise<ApiResponse> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined && { "Content-Type": "application/json" }),
        ...(token !== undefined && { Authorization: `Bearer ${token}` }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: await res.json() };
  };
}

/** The typed tRPC client, as an SDK user would build it. */
export const trpcClient = (baseUrl: string, token?: string) =>
  createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${baseUrl}/trpc`, headers: () => (token ? { Authorization: `Bearer ${token}` } : {}) })],
  });

/** Registers a user over REST and returns a fresh access token. */
export async function signUp(baseUrl: string, username: string): Promise<string> {
  const rest = restClient(baseUrl);
  const password = "Corr3ct-horse!";
  const registered = await rest("POST", "/api/register", {
    username, email: `${username}@example.com`, password, full_name: username, gender: "prefer_not_to_say",
  });
  if (registered.status !== 201) throw new Error(`register failed: ${JSON.stringify(registered.body)}`);
  const login = await rest("POST", "/api/token", { username, password });
  return login.body.data.access_token;
}
