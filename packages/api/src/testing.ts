import { randomUUID } from "node:crypto";
import { createDatabase } from "@tessera/db";
import { expect } from "vitest";
import { createSuperuser } from "./cli/superuser.ts";
import { AppError } from "./envelope.ts";
import { createCaller } from "./root.ts";
import { createServices, type ServiceOverrides, type Services } from "./services/index.ts";
import { createContext, type RequestInfo } from "./trpc.ts";
import { testEnvironment } from "./testing/environment.ts";

export { type TestEnvironment, testEnvironment } from "./testing/environment.ts";
export { type Page, pages, type PagesOptions } from "./testing/pages.ts";

/**
 * Real services over a fresh database of their own, for createCaller tests: an SQLite file in a temporary
 * folder, or a new database on the PostgreSQL server when the environment's DATABASE_URL names one.
 */
export async function createTestServices(env: Record<string, string> = {}, overrides: ServiceOverrides = {}) {
  const { config, dispose } = await testEnvironment(env);
  const db = await createDatabase({ url: config.databaseUrl, poolMax: config.databasePoolMax });
  const services: Services = createServices(config, db, overrides);
  await services.ready();
  return {
    services,
    config,
    caller: (request: Partial<RequestInfo> = {}) =>
      createCaller(createContext(services, { requestId: "test", clientAddress: "127.0.0.1", authorization: undefined, ...request })),
    async cleanup() {
      await services.close();
      await db.close(); // before the drop: PostgreSQL refuses to drop a database with open connections
      await dispose();
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

/** A new account made an active admin through the superuser path, with a logged-in caller. */
export async function adminCaller(env: TestEnv, username = `a_${randomUUID().slice(0, 12)}`): Promise<{ caller: Caller; id: string }> {
  const password = "Corr3ct-horse";
  const { id } = await createSuperuser(env.services.db, env.services.passwords, { username, email: `${username}@example.com`, password });
  const { access_token } = (await env.caller().auth.token({ username, password })).data;
  return { caller: env.caller({ authorization: `Bearer ${access_token}` }), id };
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
export { product, type ProductSpec, stockOf } from "./router/orders/market.testing.ts";
