/** Real services over a fresh database, called through createCaller: what every API test starts from. */
import { createDatabase } from "@tessera/db";
import { expect } from "vitest";
import { AppError } from "../envelope.ts";
import { createCaller } from "../root.ts";
import { createServices, type ServiceOverrides, type Services } from "../services/index.ts";
import { createContext, type RequestInfo } from "../trpc.ts";
import { testEnvironment } from "./environment.ts";

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
/** A tRPC caller of the app router, as `env.caller()` makes one. */
export type Caller = ReturnType<TestEnv["caller"]>;

/** The AppError a call rejects with (fails the test when it succeeds or throws something else). */
export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

export const appCodeOf = async (promise: Promise<unknown>): Promise<string> => (await rejection(promise)).appCode;
