import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "@tessera/config";
import { createDatabase } from "@tessera/db";
import { expect } from "vitest";
import { AppError } from "./envelope.ts";
import { createCaller } from "./root.ts";
import { createServices, type Services } from "./services/index.ts";
import { createContext, type RequestInfo } from "./trpc.ts";

/** Real services over a fresh SQLite database in a temporary folder, for createCaller tests. */
export async function createTestServices(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "tessera-api-test-"));
  const config = loadConfig({ ENV: "test", DATA_DIR: dataDir, BCRYPT_COST: "4", ...env });
  const db = await createDatabase({ url: config.databaseUrl });
  const services: Services = createServices(config, db);
  return {
    services,
    config,
    caller: (request: Partial<RequestInfo> = {}) =>
      createCaller(createContext(services, { transport: "trpc", requestId: "test", clientAddress: "127.0.0.1", authorization: undefined, ...request })),
    async cleanup() {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestEnv = Awaited<ReturnType<typeof createTestServices>>;
export type Caller = ReturnType<TestEnv["caller"]>;

/** A new account (or the named one) with a logged-in caller. */
export async function signedInCaller(env: TestEnv, username = `u_${randomUUID().slice(0, 12)}`): Promise<Caller> {
  const password = "Corr3ct-horse";
  await env.caller().auth.register({ username, email: `${username}@example.com`, password, full_name: "T", gender: "other" });
  const { access_token } = (await env.caller().auth.token({ username, password })).data;
  return env.caller({ authorization: `Bearer ${access_token}` });
}

/** The AppError a call rejects with (fails the test when it succeeds or throws something else). */
export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

export const appCodeOf = async (promise: Promise<unknown>): Promise<string> => (await rejection(promise)).appCode;

/** The contract's task order, for tests of every surface. */
export { compareFor, ids, SORTS, type SortName } from "./router/tasks/tasks.testing.ts";
