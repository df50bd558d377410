/** POST /api/logout and GET /api/me, and every way an access token is refused (docs/contract.md "Conventions", "Auth"). */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { call, decodeJwt, expectError, expectSuccess, login, me, rawRequest, registerUser, signHs256, sleep, unsignedJwt } from "../testing/http.ts";
import { account } from "../testing/accounts.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const logout = (token: string | undefined, options: { raw?: string; json?: unknown; headers?: Record<string, string> } = {}) =>
  call(server.url, "POST", "/api/logout", { token, ...options });

const LOGGED_OUT = { status: "success", message: "Logged out." };

describe("POST /api/logout", () => {
  it("answers 200 {status, message: \"Logged out.\"} with no body and no Content-Type", async () => {
    const { tokens } = await account(server.url);
    const reply = await rawRequest(server.url, {
      method: "POST",
      path: "/api/logout",
      headers: { authorization: `Bearer ${tokens.access_token}`, "content-length": "0" },
    });
    expectSuccess(reply);
    expect(reply.body).toEqual(LOGGED_OUT);
  });

  it("answers the same with an empty body declared as JSON", async () => {
    const { tokens } = await account(server.url);
    const reply = await logout(tokens.access_token, { raw: "" });
    expectSuccess(reply);
    expect(reply.body).toEqual(LOGGED_OUT);
  });

  it("answers the same with a JSON object body, unknown fields ignored", async () => {
    const { tokens } = await account(server.url);
    const reply = await logout(tokens.access_token, { json: { everywhere: true, refresh_token: "ignored" } });
    expectSuccess(reply);
    expect(reply.body).toEqual(LOGGED_OUT);
  });

  it("ends the session at once: its access token and refresh token give 401 INVALID_TOKEN", async () => {
    const { tokens } = await account(server.url);
    expectSuccess(await logout(tokens.access_token));
    expectError(await me(server.url, tokens.access_token), 401, "INVALID_TOKEN");
    expectError(await logout(tokens.access_token), 401, "INVALID_TOKEN");
    expectError(await call(server.url, "POST", "/api/token/refresh", { json: { refresh_token: tokens.refresh_token } }), 401, "INVALID_TOKEN");
  });

  it("also ends the access tokens issued to the session by refresh", async () => {
    const { tokens } = await account(server.url);
    const rotated = await call(server.url, "POST", "/api/token/refresh", { json: { refresh_token: tokens.refresh_token } });
    expectSuccess(rotated);
    expectSuccess(await logout(rotated.body.data.access_token));
    expectError(await me(server.url, tokens.access_token), 401, "INVALID_TOKEN");
    expectError(await me(server.url, rotated.body.data.access_token), 401, "INVALID_TOKEN");
  });

  it("leaves the same user's other sessions working", async () => {
    const { input, tokens } = await account(server.url);
    const other = await login(server.url, input.username, input.password);
    expectSuccess(await logout(tokens.access_token));
    expectSuccess(await me(server.url, other.access_token));
    const rotated = await call(server.url, "POST", "/api/token/refresh", { json: { refresh_token: other.refresh_token } });
    expectSuccess(rotated);
  });

  it("401 INVALID_TOKEN without a token", async () => {
    expectError(await logout(undefined), 401, "INVALID_TOKEN");
  });

  it("lets the user log in again afterwards", async () => {
    const { input, tokens } = await account(server.url);
    expectSuccess(await logout(tokens.access_token));
    const again = await login(server.url, input.username, input.password);
    expectSuccess(await me(server.url, again.access_token));
  });
});

describe("GET /api/me", () => {
  it("answers the register data plus role \"user\" and an ISO created_at", async () => {
    const before = Date.now();
    const { input, data } = await registerUser(server.url, { age: 41, gender: "non-binary", full_name: "Grace Hopper" });
    const after = Date.now();
    const tokens = await login(server.url, input.username, input.password);
    const reply = await me(server.url, tokens.access_token);
    expectSuccess(reply);
    expect(reply.body.data).toEqual({ ...data, role: "user", created_at: expect.any(String) });
    expect(data).toMatchObject({ username: input.username, email: input.email, full_name: "Grace Hopper", age: 41, gender: "non-binary" });
    const createdAt = reply.body.data.created_at as string;
    expect(createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
    expect(Number.isNaN(Date.parse(createdAt))).toBe(false);
    // Generous bounds: created between the calls around registration (second precision allowed).
    expect(Date.parse(createdAt)).toBeGreaterThanOrEqual(before - 1_000);
    expect(Date.parse(createdAt)).toBeLessThanOrEqual(after + 1_000);
    expect(Object.keys(reply.body).filter((k) => k !== "message").sort()).toEqual(["data", "status"]);
  });

  it("answers age null for an account registered without one", async () => {
    const { input } = await registerUser(server.url, { age: undefined });
    const tokens = await login(server.url, input.username, input.password);
    expect((await me(server.url, tokens.access_token)).body.data.age).toBeNull();
  });
});

describe("access tokens refused with 401 INVALID_TOKEN", () => {
  let realToken: string;
  beforeAll(async () => {
    realToken = (await account(server.url)).tokens.access_token;
  });

  it.each([
    ["no Authorization header", undefined],
    ["an empty Authorization header", ""],
    ["the scheme alone", "Bearer"],
    ["the scheme and a space", "Bearer "],
    ["another scheme", "Basic dXNlcjpwYXNz"],
    ["garbage", "Bearer not-a-jwt"],
    ["three garbage segments", "Bearer aaa.bbb.ccc"],
    ["two tokens", "Bearer a.b.c d.e.f"],
  ])("%s", async (_label, authorization) => {
    const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
    expectError(await call(server.url, "GET", "/api/me", { headers }), 401, "INVALID_TOKEN");
  });

  it("a real token without the Bearer scheme", async () => {
    expectError(await call(server.url, "GET", "/api/me", { headers: { authorization: realToken } }), 401, "INVALID_TOKEN");
    expectSuccess(await me(server.url, realToken));
  });

  it("a real token with one signature character changed", async () => {
    const last = realToken.at(-2) === "A" ? "B" : "A";
    expectError(await me(server.url, `${realToken.slice(0, -2)}${last}${realToken.at(-1)}`), 401, "INVALID_TOKEN");
  });

  it("the real claims signed with another secret (HS256)", async () => {
    const { payload } = decodeJwt(realToken);
    expectError(await me(server.url, signHs256(payload, randomBytes(32).toString("base64url"))), 401, "INVALID_TOKEN");
  });

  it("the real claims with alg: none and no signature", async () => {
    const { payload } = decodeJwt(realToken);
    expectError(await me(server.url, unsignedJwt(payload)), 401, "INVALID_TOKEN");
    expectError(await me(server.url, unsignedJwt(payload).slice(0, -1)), 401, "INVALID_TOKEN");
  });

  it("the real signature over other claims (another user's subject)", async () => {
    const other = await account(server.url);
    const [header, , signature] = realToken.split(".");
    const [, otherPayload] = other.tokens.access_token.split(".");
    expectError(await me(server.url, `${header}.${otherPayload}.${signature}`), 401, "INVALID_TOKEN");
  });

  it("a refresh token presented as an access token", async () => {
    const { tokens } = await account(server.url);
    expectError(await me(server.url, tokens.refresh_token), 401, "INVALID_TOKEN");
  });

  it("an expired token (ACCESS_TOKEN_TTL_SECONDS=1)", async () => {
    const short = await startTestServer({ ACCESS_TOKEN_TTL_SECONDS: "1" });
    try {
      const { tokens } = await account(short.url);
      expect(tokens.expires_in).toBe(1);
      await sleep(2_100);
      expectError(await me(short.url, tokens.access_token), 401, "INVALID_TOKEN");
      expectError(await call(short.url, "POST", "/api/logout", { token: tokens.access_token }), 401, "INVALID_TOKEN");
    } finally {
      await short.stop();
    }
  });

  it("a token from another server (same claims shape, other secret)", async () => {
    const elsewhere = await startTestServer();
    try {
      const foreign = (await account(elsewhere.url)).tokens.access_token;
      expectError(await me(server.url, foreign), 401, "INVALID_TOKEN");
    } finally {
      await elsewhere.stop();
    }
  });
});
