/**
 * The /trpc surface (docs/contract.md "Operations"): the same procedures as REST, the same envelopes in
 * result.data, the REST machine code as error.data.appCode, batching on. Plain fetch, tRPC's HTTP format.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { call, type CallOptions, expectNoLeak, expectSuccess, newUser, type Reply, uniqueName } from "../testing/http.ts";
import { account } from "../testing/accounts.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ LOGIN_MAX_FAILURES_PER_ADDRESS: "100000" });
});
afterAll(() => server.stop());

const mutate = (procedure: string, input?: unknown, options: CallOptions = {}, base = server.url) =>
  call(base, "POST", `/trpc/${procedure}`, { json: input, ...options });
const query = (procedure: string, options: CallOptions = {}) => call(server.url, "GET", `/trpc/${procedure}`, options);

function expectTrpcJson(reply: Reply) {
  expect(reply.headers.get("content-type")).toMatch(/^application\/json\b/);
  expect(reply.headers.get("x-request-id")).toBeTruthy();
  expectNoLeak(reply);
}

/** A single tRPC success: returns result.data (the contract envelope). */
function resultOf(reply: Reply) {
  expect(reply.status, reply.text.slice(0, 400)).toBe(200);
  expectTrpcJson(reply);
  return reply.body.result.data;
}

/** A tRPC error carrying the contract code as error.data.appCode; returns error. */
function expectTrpcError(reply: Reply | { error: any }, appCode: string) {
  const error = "error" in reply ? reply.error : reply.body?.error;
  if (!("error" in reply)) expectTrpcJson(reply);
  expect(error?.data?.appCode, JSON.stringify(error).slice(0, 400)).toBe(appCode);
  expect(error.message).toBeTypeOf("string");
  expect(error.data.stack).toBeUndefined();
  return error;
}

/** The same input on both surfaces gives the same contract code and details. */
async function expectSameError(restPath: string, procedure: string, input: unknown, code: string) {
  const rest = await call(server.url, "POST", restPath, { json: input });
  const trpc = await mutate(procedure, input);
  expect(rest.body.code).toBe(code);
  const error = expectTrpcError(trpc, code);
  expect(error.data.details).toEqual(rest.body.details);
}

describe("auth.register", () => {
  it("returns the REST 201 envelope in result.data", async () => {
    const input = newUser({ age: undefined });
    const data = resultOf(await mutate("auth.register", input));
    expect(data).toEqual({
      status: "success",
      message: "User successfully registered!",
      data: { user_id: expect.any(String), username: input.username, email: input.email, full_name: input.full_name, age: null, gender: input.gender },
    });
  });

  it.each([
    [{}, "INVALID_REQUEST"],
    [{ gender: "robot" }, "INVALID_REQUEST"],
    [{ email: "nope" }, "INVALID_REQUEST"],
    [{ password: "weak" }, "INVALID_PASSWORD"],
    [{ password: `Aa1!${"é".repeat(36)}` }, "INVALID_PASSWORD"],
    [{ age: 0 }, "INVALID_AGE"],
    [{ age: true }, "INVALID_AGE"],
    [{ age: "abc" }, "INVALID_AGE"],
    [{ gender: null }, "GENDER_REQUIRED"],
    [{ gender: "", age: 1.5, password: "weak" }, "GENDER_REQUIRED"],
  ])("answers %j with the REST code %s and the same details", async (overrides, code) => {
    const input = Object.keys(overrides).length === 0 ? {} : newUser(overrides);
    await expectSameError("/api/register", "auth.register", input, code);
  });

  it("USERNAME_EXISTS and EMAIL_EXISTS, case-insensitively", async () => {
    const taken = newUser({ username: uniqueName("Taken") });
    resultOf(await mutate("auth.register", taken));
    expectTrpcError(await mutate("auth.register", newUser({ username: taken.username.toLowerCase() })), "USERNAME_EXISTS");
    expectTrpcError(await mutate("auth.register", newUser({ email: taken.email.toUpperCase() })), "EMAIL_EXISTS");
  });
});

describe("auth.token, auth.login, auth.refresh, auth.me, auth.logout", () => {
  it.each(["auth.token", "auth.login"])("%s returns the token envelope; MISSING_FIELDS and INVALID_CREDENTIALS as on REST", async (procedure) => {
    const { input } = await account(server.url);
    const data = resultOf(await mutate(procedure, { username: input.email, password: input.password }));
    expect(data).toEqual({
      status: "success",
      message: "Access token generated successfully.",
      data: { access_token: expect.any(String), token_type: "Bearer", expires_in: 3600, refresh_token: expect.any(String) },
    });
    await expectSameError("/api/token", procedure, { username: input.username }, "MISSING_FIELDS");
    await expectSameError("/api/token", procedure, { username: input.username, password: "Wrong!pass1" }, "INVALID_CREDENTIALS");
    await expectSameError("/api/token", procedure, { username: uniqueName("ghost"), password: "Wrong!pass1" }, "INVALID_CREDENTIALS");
  });

  it("auth.me returns exactly what GET /api/me returns; tokens work across surfaces", async () => {
    const { input } = await account(server.url);
    const viaTrpc = resultOf(await mutate("auth.token", { username: input.username, password: input.password }));
    const token = viaTrpc.data.access_token as string;
    const rest = await call(server.url, "GET", "/api/me", { token });
    expectSuccess(rest);
    expect(resultOf(await query("auth.me", { token }))).toEqual(rest.body);
  });

  it("auth.me without a valid token: INVALID_TOKEN", async () => {
    expectTrpcError(await query("auth.me"), "INVALID_TOKEN");
    expectTrpcError(await query("auth.me", { token: "garbage" }), "INVALID_TOKEN");
  });

  it("auth.refresh rotates, and reuse revokes the session: INVALID_TOKEN", async () => {
    const { tokens } = await account(server.url);
    const next = resultOf(await mutate("auth.refresh", { refresh_token: tokens.refresh_token }));
    expect(next.data.refresh_token).not.toBe(tokens.refresh_token);
    expectTrpcError(await mutate("auth.refresh", { refresh_token: tokens.refresh_token }), "INVALID_TOKEN");
    expectTrpcError(await query("auth.me", { token: next.data.access_token }), "INVALID_TOKEN");
    await expectSameError("/api/token/refresh", "auth.refresh", {}, "MISSING_FIELDS");
    await expectSameError("/api/token/refresh", "auth.refresh", { refresh_token: "unknown" }, "INVALID_TOKEN");
  });

  it("auth.logout without input returns {status, message: \"Logged out.\"} and ends the session on both surfaces", async () => {
    const { tokens } = await account(server.url);
    // As the tRPC client sends a mutation without input: JSON content type, no body.
    const reply = await mutate("auth.logout", undefined, { token: tokens.access_token, headers: { "content-type": "application/json" } });
    expect(resultOf(reply)).toEqual({ status: "success", message: "Logged out." });
    expectTrpcError(await query("auth.me", { token: tokens.access_token }), "INVALID_TOKEN");
    expect((await call(server.url, "GET", "/api/me", { token: tokens.access_token })).body.code).toBe("INVALID_TOKEN");
    expectTrpcError(await mutate("auth.logout", {}), "INVALID_TOKEN");
  });

  it("RATE_LIMITED, with failures counted together with REST", async () => {
    const limited = await startTestServer({ LOGIN_MAX_FAILURES_PER_ACCOUNT: "2" });
    try {
      const { input } = await account(limited.url);
      const wrong = { username: input.username, password: "Wrong!pass1" };
      expect((await call(limited.url, "POST", "/api/token", { json: wrong })).body.code).toBe("INVALID_CREDENTIALS");
      expectTrpcError(await mutate("auth.token", wrong, {}, limited.url), "INVALID_CREDENTIALS");
      expectTrpcError(await mutate("auth.login", { username: input.username, password: input.password }, {}, limited.url), "RATE_LIMITED");
      expect((await call(limited.url, "POST", "/api/token", { json: wrong })).body.code).toBe("RATE_LIMITED");
    } finally {
      await limited.stop();
    }
  });
});

describe("batching and transport errors", () => {
  it("runs two mutations in one request (?batch=1)", async () => {
    const { input } = await account(server.url);
    const credentials = { username: input.username, password: input.password };
    const reply = await call(server.url, "POST", "/trpc/auth.token,auth.login?batch=1", { json: { 0: credentials, 1: credentials } });
    expect(reply.status).toBe(200);
    expectTrpcJson(reply);
    expect(reply.body).toHaveLength(2);
    for (const item of reply.body) expect(item.result.data).toMatchObject({ status: "success", data: { token_type: "Bearer" } });
    expect(reply.body[0].result.data.data.refresh_token).not.toBe(reply.body[1].result.data.data.refresh_token);
  });

  it("runs two queries in one request, with the same answer as REST", async () => {
    const { tokens } = await account(server.url);
    const reply = await call(server.url, "GET", `/trpc/auth.me,auth.me?batch=1&input=${encodeURIComponent("{}")}`, { token: tokens.access_token });
    expect(reply.status).toBe(200);
    const rest = await call(server.url, "GET", "/api/me", { token: tokens.access_token });
    expect(reply.body.map((item: any) => item.result.data)).toEqual([rest.body, rest.body]);
  });

  it("reports each call of a batch separately, errors with their appCode", async () => {
    const { input } = await account(server.url);
    const reply = await call(server.url, "POST", "/trpc/auth.token,auth.register?batch=1", {
      json: { 0: { username: input.username, password: input.password }, 1: newUser({ age: -1 }) },
    });
    expectTrpcJson(reply);
    expect(reply.body).toHaveLength(2);
    expect(reply.body[0].result.data.status).toBe("success");
    expectTrpcError(reply.body[1], "INVALID_AGE");
  });

  it("maps transport errors to contract codes, never 5xx", async () => {
    expectTrpcError(await mutate("auth.nope", {}), "NOT_FOUND");
    expectTrpcError(await call(server.url, "POST", "/trpc/auth.token", { raw: "{oops" }), "INVALID_REQUEST");
    expectTrpcError(await call(server.url, "POST", "/trpc/auth.register", { raw: "[1,2]" }), "INVALID_REQUEST");
    expectTrpcError(await query("auth.token"), "METHOD_NOT_ALLOWED");
    const big = await call(server.url, "POST", "/trpc/auth.token", { raw: JSON.stringify({ filler: "x".repeat(1024 * 1024) }) });
    expectTrpcError(big, "PAYLOAD_TOO_LARGE");
    for (const raw of [`${"{\"a\":".repeat(100_000)}1${"}".repeat(100_000)}`, `${"[".repeat(100_000)}${"]".repeat(100_000)}`]) {
      const deep = await call(server.url, "POST", "/trpc/auth.token", { raw });
      expect(deep.status).toBeLessThan(500);
      expectTrpcJson(deep);
    }
  });
});
