/** POST /api/token and its alias POST /api/login — docs/contract.md "Auth", including the RATE_LIMITED rules. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/server.ts";
import {
  call, decodeJwt, detailPaths, expectError, expectSuccess, me, PASSWORD, type Reply, registerUser, sleep, uniqueName,
} from "../testing/http.ts";

const ROUTES = ["/api/token", "/api/login"] as const;

let server: TestServer;
beforeAll(async () => {
  // Address limit raised so this file's many deliberate failures never trip it.
  server = await startTestServer({ LOGIN_MAX_FAILURES_PER_ADDRESS: "100000" });
});
afterAll(() => server.stop());

const post = (base: string, route: string, body: unknown) => call(base, "POST", route, { json: body });

function expectTokenPair(reply: Reply, expiresIn: number) {
  expectSuccess(reply, 200);
  expect(reply.body).toEqual({
    status: "success",
    message: "Access token generated successfully.",
    data: { access_token: expect.any(String), token_type: "Bearer", expires_in: expiresIn, refresh_token: expect.any(String) },
  });
  expect(reply.body.data.access_token.split(".")).toHaveLength(3);
  expect(reply.body.data.refresh_token.length).toBeGreaterThan(0);
}

describe.each(ROUTES)("POST %s", (route) => {
  it("answers 200 with the documented token pair, whose access token opens /api/me", async () => {
    const { input, data } = await registerUser(server.url);
    const reply = await post(server.url, route, { username: input.username, password: input.password });
    expectTokenPair(reply, 3600);
    const mine = await me(server.url, reply.body.data.access_token);
    expectSuccess(mine);
    expect(mine.body.data.user_id).toBe(data.user_id);
  });

  it("logs in by the account's email, in any case", async () => {
    const { input, data } = await registerUser(server.url);
    for (const email of [input.email, input.email.toUpperCase()]) {
      const reply = await post(server.url, route, { username: email, password: input.password });
      expectTokenPair(reply, 3600);
      expect((await me(server.url, reply.body.data.access_token)).body.data.user_id).toBe(data.user_id);
    }
  });

  it("issues a new, different pair on every login and ignores unknown fields", async () => {
    const { input } = await registerUser(server.url);
    const body = { username: input.username, password: input.password, remember_me: true, scope: "admin" };
    const [a, b] = await Promise.all([post(server.url, route, body), post(server.url, route, body)]);
    expectTokenPair(a, 3600);
    expectTokenPair(b, 3600);
    expect(a.body.data.refresh_token).not.toBe(b.body.data.refresh_token);
    expect(a.body.data.access_token).not.toBe(b.body.data.access_token);
  });

  it.each([
    [{}, ["username", "password"]],
    [{ username: "someone" }, ["password"]],
    [{ password: PASSWORD }, ["username"]],
    [{ username: null, password: null }, ["username", "password"]],
  ])("400 MISSING_FIELDS for %j, listing the missing fields", async (body, missing) => {
    const reply = await post(server.url, route, body);
    expectError(reply, 400, "MISSING_FIELDS");
    expect([...detailPaths(reply)].sort()).toEqual([...missing].sort());
  });

  it("400 INVALID_REQUEST for ill-typed fields (not strings)", async () => {
    const reply = await post(server.url, route, { username: ["someone"], password: 12345678 });
    expectError(reply, 400, "INVALID_REQUEST");
    expect([...detailPaths(reply)].sort()).toEqual(["password", "username"]);
  });

  it("401 INVALID_CREDENTIALS with the same body for an unknown user and a wrong password", async () => {
    const { input } = await registerUser(server.url);
    const unknown = await post(server.url, route, { username: uniqueName("ghost"), password: input.password });
    const wrong = await post(server.url, route, { username: input.username, password: `${input.password}x` });
    const wrongByEmail = await post(server.url, route, { username: input.email, password: `${input.password}x` });
    const unknownEmail = await post(server.url, route, { username: `${uniqueName("ghost")}@example.com`, password: input.password });
    for (const reply of [unknown, wrong, wrongByEmail, unknownEmail]) expectError(reply, 401, "INVALID_CREDENTIALS");
    expect(wrong.body).toEqual(unknown.body);
    expect(wrongByEmail.body).toEqual(unknown.body);
    expect(unknownEmail.body).toEqual(unknown.body);
  });

  it("does not accept the password in another case", async () => {
    const { input } = await registerUser(server.url);
    expectError(await post(server.url, route, { username: input.username, password: input.password.toUpperCase() }), 401, "INVALID_CREDENTIALS");
  });

});

describe("access tokens", () => {
  it("are JWTs that expire after expires_in seconds (ACCESS_TOKEN_TTL_SECONDS)", async () => {
    const custom = await startTestServer({ ACCESS_TOKEN_TTL_SECONDS: "120" });
    try {
      const { input } = await registerUser(custom.url);
      const reply = await post(custom.url, "/api/token", { username: input.username, password: input.password });
      expectTokenPair(reply, 120);
      const { payload } = decodeJwt(reply.body.data.access_token);
      expect(Number(payload.exp) - Number(payload.iat)).toBe(120);
    } finally {
      await custom.stop();
    }
  });
});

describe("429 RATE_LIMITED per account (limit 3)", () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ LOGIN_MAX_FAILURES_PER_ACCOUNT: "3", LOGIN_MAX_FAILURES_PER_ADDRESS: "100000" });
  });
  afterAll(() => limited.stop());

  function expectRateLimited(reply: Reply) {
    expectError(reply, 429, "RATE_LIMITED");
    const retryAfter = reply.headers.get("retry-after");
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(limited.config.loginThrottle.windowSeconds);
  }

  it("refuses the account after 3 failures, even with the right password, by username and by email", async () => {
    const { input } = await registerUser(limited.url);
    const wrong = { username: input.username, password: "Wrong!pass1" };
    for (let i = 0; i < 3; i++) expectError(await post(limited.url, "/api/token", wrong), 401, "INVALID_CREDENTIALS");
    expectRateLimited(await post(limited.url, "/api/token", { username: input.username, password: input.password }));
    expectRateLimited(await post(limited.url, "/api/login", { username: input.email, password: input.password }));
    expectRateLimited(await post(limited.url, "/api/token", wrong));
  });

  it("counts attempts by username, by email and through /api/login against the same account", async () => {
    const { input } = await registerUser(limited.url);
    expectError(await post(limited.url, "/api/token", { username: input.username, password: "Wrong!pass1" }), 401, "INVALID_CREDENTIALS");
    expectError(await post(limited.url, "/api/token", { username: input.email, password: "Wrong!pass1" }), 401, "INVALID_CREDENTIALS");
    expectError(await post(limited.url, "/api/login", { username: input.email.toUpperCase(), password: "Wrong!pass1" }), 401, "INVALID_CREDENTIALS");
    expectRateLimited(await post(limited.url, "/api/token", { username: input.username, password: input.password }));
  });

  it("counts an unknown name against that name only", async () => {
    const ghost = uniqueName("ghost");
    for (let i = 0; i < 3; i++) {
      expectError(await post(limited.url, "/api/token", { username: ghost, password: "Wrong!pass1" }), 401, "INVALID_CREDENTIALS");
    }
    expectRateLimited(await post(limited.url, "/api/token", { username: ghost, password: "Wrong!pass1" }));
    const { input } = await registerUser(limited.url);
    expectSuccess(await post(limited.url, "/api/token", { username: input.username, password: input.password }));
  });

  it("leaves other accounts alone while one is blocked", async () => {
    const [victim, bystander] = [await registerUser(limited.url), await registerUser(limited.url)];
    for (let i = 0; i < 4; i++) await post(limited.url, "/api/token", { username: victim.input.username, password: "Wrong!pass1" });
    expectRateLimited(await post(limited.url, "/api/token", { username: victim.input.username, password: victim.input.password }));
    expectSuccess(await post(limited.url, "/api/token", { username: bystander.input.username, password: bystander.input.password }));
  });
});

describe("429 RATE_LIMITED per client address (limit 4)", () => {
  it("refuses every account from the address after 4 failures, even with the right password", async () => {
    const limited = await startTestServer({ LOGIN_MAX_FAILURES_PER_ACCOUNT: "100000", LOGIN_MAX_FAILURES_PER_ADDRESS: "4" });
    try {
      const { input } = await registerUser(limited.url);
      for (let i = 0; i < 4; i++) {
        expectError(await post(limited.url, "/api/token", { username: uniqueName("ghost"), password: "Wrong!pass1" }), 401, "INVALID_CREDENTIALS");
      }
      const reply = await post(limited.url, "/api/login", { username: input.username, password: input.password });
      expectError(reply, 429, "RATE_LIMITED");
      expect(reply.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
      // TRUST_PROXY is off by default: a forged X-Forwarded-For does not make a new client address.
      const forged = await call(limited.url, "POST", "/api/token", {
        json: { username: input.username, password: input.password },
        headers: { "X-Forwarded-For": "203.0.113.9" },
      });
      expectError(forged, 429, "RATE_LIMITED");
    } finally {
      await limited.stop();
    }
  });
});

describe("the failure window (LOGIN_FAILURE_WINDOW_SECONDS=1)", () => {
  it("lets the right password in again once the window has passed", async () => {
    const limited = await startTestServer({ LOGIN_MAX_FAILURES_PER_ACCOUNT: "2", LOGIN_FAILURE_WINDOW_SECONDS: "1" });
    try {
      const { input } = await registerUser(limited.url);
      for (let i = 0; i < 2; i++) await post(limited.url, "/api/token", { username: input.username, password: "Wrong!pass1" });
      const blocked = await post(limited.url, "/api/token", { username: input.username, password: input.password });
      expectError(blocked, 429, "RATE_LIMITED");
      await sleep(2_200);
      expectSuccess(await post(limited.url, "/api/token", { username: input.username, password: input.password }));
    } finally {
      await limited.stop();
    }
  });
});
