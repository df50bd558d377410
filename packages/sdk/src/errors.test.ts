/** Every failure is a TesseraError carrying the contract's code, message and details (docs/contract.md). */
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, countingFetch, liveServer, newUser, signedIn, type TestServer } from "../test/helpers.ts";
import { toTesseraError } from "./errors.ts";
import { createTesseraClient, isTesseraError, TesseraError } from "./index.ts";

let server: TestServer;
beforeAll(async () => {
  server = await liveServer();
});
afterAll(() => server.stop());

/** The rejection of `promise`, which must reject. */
async function failure(promise: Promise<unknown>): Promise<TesseraError> {
  const error = await promise.then(() => expect.unreachable("should have rejected"), (e: unknown) => e);
  expect(error).toBeInstanceOf(TesseraError);
  return error as TesseraError;
}

describe("errors from the server", () => {
  it("validation: INVALID_REQUEST with every field problem in details", async () => {
    const { tessera } = await signedIn(server);
    // @ts-expect-error -- a wrong status on purpose: the server's validation, not the compiler's, is under test
    const error = await failure(tessera.tasks.create.mutate({ title: " ", status: "someday" }));
    expect(error).toMatchObject({ name: "TesseraError", code: "INVALID_REQUEST" });
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.details?.map((d) => d.path).sort()).toEqual(["status", "title"]);
    expect(error.data).toMatchObject({ httpStatus: 400, appCode: "INVALID_REQUEST" });
    // Still a TRPCClientError, for tRPC tooling.
    expect(error).toBeInstanceOf(TRPCClientError);
    expect(isTesseraError(error)).toBe(true);
  });

  it("the contract's own codes for validation: INVALID_PASSWORD, GENDER_REQUIRED, MISSING_FIELDS", async () => {
    const tessera = client(server);
    const weak = await failure(tessera.register({ ...newUser(), password: "short" }));
    expect(weak.code).toBe("INVALID_PASSWORD");
    expect(weak.details?.map((d) => d.path)).toEqual(["password"]);
    const noGender = await failure(tessera.register({ ...newUser(), gender: undefined as never }));
    expect(noGender.code).toBe("GENDER_REQUIRED");
    const missing = await failure(tessera.login({ username: "", password: "" }));
    expect(missing.code).toBe("MISSING_FIELDS");
  });

  it("conflicts and missing things: no details", async () => {
    const { tessera, user } = await signedIn(server);
    await tessera.data.create.mutate({ key: "k", value: "v" });
    const exists = await failure(tessera.data.create.mutate({ key: "k", value: "w" }));
    expect(exists).toMatchObject({ code: "KEY_EXISTS", details: undefined });
    expect(exists.data?.httpStatus).toBe(409);
    expect(await failure(tessera.tasks.get.query({ id: "not-a-task" }))).toMatchObject({ code: "TASK_NOT_FOUND", message: "Task not found." });
    expect(await failure(tessera.register({ ...newUser(), username: user.username }))).toMatchObject({ code: "USERNAME_EXISTS" });
  });

  it("RATE_LIMITED carries retryAfter in data", async () => {
    const limited = await liveServer({ LOGIN_MAX_FAILURES_PER_ACCOUNT: "1" });
    try {
      const tessera = client(limited);
      const input = newUser();
      await tessera.register(input);
      await failure(tessera.login({ username: input.username, password: "Wr0ng!password" }));
      const error = await failure(tessera.login({ username: input.username, password: input.password }));
      expect(error.code).toBe("RATE_LIMITED");
      expect(error.data?.retryAfter).toBeGreaterThan(0);
    } finally {
      await limited.stop();
    }
  });
});

describe("errors without a contract answer: NETWORK_ERROR", () => {
  it("when nothing listens at the URL, with the fetch failure as cause", async () => {
    const gone = await liveServer();
    await gone.stop();
    const error = await failure(createTesseraClient({ url: gone.url }).register(newUser()));
    expect(error.code).toBe("NETWORK_ERROR");
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.details).toBeUndefined();
  });

  it("when something else answers (a proxy's HTML page)", async () => {
    const proxy = countingFetch(async () => new Response("<html>Bad gateway</html>", { status: 502, headers: { "content-type": "text/html" } }));
    const error = await failure(client(server, { fetch: proxy.fetch }).register(newUser()));
    expect(error.code).toBe("NETWORK_ERROR");
  });

});

describe("toTesseraError", () => {
  it("returns a TesseraError as it is and wraps anything else", () => {
    const original = new TesseraError("x", { code: "FORBIDDEN" });
    expect(toTesseraError(original)).toBe(original);
    const wrapped = toTesseraError(new RangeError("boom"));
    expect(wrapped).toMatchObject({ code: "NETWORK_ERROR", message: "boom" });
    expect(wrapped.cause).toBeInstanceOf(RangeError);
    expect(toTesseraError("weird")).toMatchObject({ code: "NETWORK_ERROR", message: "The request failed." });
  });

  it("reads the contract code from a tRPC error shape, and ignores a shape without one", () => {
    const shape = {
      message: "Too many attempts.", code: -32029,
      data: { code: "TOO_MANY_REQUESTS", httpStatus: 429, path: "auth.token", appCode: "RATE_LIMITED", retryAfter: 60 },
    };
    expect(toTesseraError(TRPCClientError.from({ error: shape }))).toMatchObject({ code: "RATE_LIMITED", message: "Too many attempts." });
    const foreign = TRPCClientError.from({ error: { ...shape, data: { code: "TOO_MANY_REQUESTS", httpStatus: 429 } } });
    expect(toTesseraError(foreign).code).toBe("NETWORK_ERROR");
  });
});
