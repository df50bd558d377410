/**
 * The one signed-in account over HTTP of every layer's tests (the server's contract and hardening tests, the SDK's
 * tests, the web e2e): registered with POST /api/register, signed in with POST /api/token, onboarded as a seller
 * with POST /api/seller/onboard when asked.
 */
import { call, expectSuccess, login, type RegisteredUser, type RegisterInput, registerUser, type TokenPair, uniqueName } from "./http.ts";

export interface AccountOptions {
  /** "seller": onboarded as a seller with a store of its own (default "user"). */
  role?: "user" | "seller";
  /** The start of the generated username (default "u"). */
  prefix?: string;
  /** A seller's store name (default `Store of <username>`). */
  storeName?: string;
  /** Fields of the registration to set (a username of the test's choosing, another age...). */
  register?: Partial<RegisterInput>;
}

export interface Account {
  id: string;
  username: string;
  password: string;
  /** What was sent to POST /api/register, and what it answered. */
  input: RegisterInput;
  data: RegisteredUser["data"];
  /** The session POST /api/token opened. */
  tokens: TokenPair;
  /** Its access token. */
  token: string;
  /** `{ authorization: "Bearer <access token>" }`, for a fetch of one's own. */
  headers: { authorization: string };
  /** A seller's store name (undefined for a plain user). */
  storeName?: string;
}

/** A new account with one fresh session, on the server at `server` (a URL, or anything with a `url`). */
export async function account(server: string | { url: string }, options: AccountOptions = {}): Promise<Account> {
  const url = typeof server === "string" ? server : server.url;
  const { input, data } = await registerUser(url, { username: uniqueName(options.prefix), ...options.register });
  const tokens = await login(url, input.username, input.password);
  const token = tokens.access_token;
  let storeName: string | undefined;
  if (options.role === "seller") {
    storeName = options.storeName ?? `Store of ${input.username}`;
    expectSuccess(await call(url, "POST", "/api/seller/onboard", { token, json: { store_name: storeName } }), 201);
  }
  return {
    id: data.user_id, username: input.username, password: input.password, input, data, tokens, token,
    headers: { authorization: `Bearer ${token}` }, storeName,
  };
}
