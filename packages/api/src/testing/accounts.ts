/** Signed-in accounts for the createCaller tests: the one helper that registers (or creates) and logs in. */
import { randomUUID } from "node:crypto";
import { createSuperuser } from "../cli/superuser.ts";
import type { Caller, TestEnv } from "./services.ts";

type Tokens = Awaited<ReturnType<Caller["auth"]["token"]>>["data"];

export const TEST_PASSWORD = "Corr3ct-horse";

export interface AccountOptions {
  /**
   * user (the default) and buyer: registered through auth.register; seller: a user onboarded as a seller;
   * admin: an active admin made through the superuser path (createsuperuser's).
   */
  role?: "user" | "buyer" | "seller" | "admin";
  /** Default: the role's prefix and a random suffix. */
  username?: string;
  /** seller only; default `Store <username>`. */
  storeName?: string;
}

export interface Account {
  id: string;
  username: string;
  password: string;
  /** The `Bearer …` header of the session it was logged in with. */
  authorization: string;
  caller: Caller;
  /** A caller whose requests carry this Idempotency-Key header. */
  withKey(key: string): Caller;
  /** Logs in again: a new session's tokens. */
  login(): Promise<Tokens>;
}

const PREFIX = { user: "u", buyer: "buyer", seller: "seller", admin: "a" } as const;

/** A new account of the given role (a plain user by default), logged in. */
export async function account(env: TestEnv, options: AccountOptions & { role: "seller" }): Promise<Account & { storeName: string }>;
export async function account(env: TestEnv, options?: AccountOptions): Promise<Account>;
export async function account(env: TestEnv, options: AccountOptions = {}): Promise<Account & { storeName?: string }> {
  const role = options.role ?? "user";
  const username = options.username ?? `${PREFIX[role]}_${randomUUID().slice(0, 12)}`;
  const password = TEST_PASSWORD;
  const email = `${username}@example.com`;
  const { id } = role === "admin"
    ? await createSuperuser(env.services.db, env.services.passwords, { username, email, password })
    : { id: (await env.caller().auth.register({ username, email, password, full_name: "T", gender: "other" })).data.user_id };
  const login = async () => (await env.caller().auth.token({ username, password })).data;
  const authorization = `Bearer ${(await login()).access_token}`;
  const caller = env.caller({ authorization });
  const withKey = (key: string) => env.caller({ authorization, headers: { "idempotency-key": key } });
  const made: Account = { id, username, password, authorization, caller, withKey, login };
  if (role !== "seller") return made;
  const storeName = options.storeName ?? `Store ${username}`;
  await caller.seller.onboard({ store_name: storeName });
  return { ...made, storeName };
}

/** A new plain account (or the named one): its logged-in caller. */
export const signedInCaller = async (env: TestEnv, username?: string): Promise<Caller> => (await account(env, { username })).caller;

/** A new active admin (or the named one): its logged-in caller and id. */
export async function adminCaller(env: TestEnv, username?: string): Promise<{ caller: Caller; id: string }> {
  const { caller, id } = await account(env, { role: "admin", username });
  return { caller, id };
}
