/** POST /api/token/refresh — rotation, theft detection, expiry (docs/contract.md "Auth"). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { call, decodeJwt, detailPaths, expectError, expectSuccess, login, me, type Reply, type TokenPair, sleep } from "../testing/http.ts";
import { account } from "../testing/accounts.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const refresh = (body: unknown, base = server.url) => call(base, "POST", "/api/token/refresh", { json: body });
const refreshWith = (token: string, base = server.url) => refresh({ refresh_token: token }, base);

function expectNewPair(reply: Reply): TokenPair {
  expectSuccess(reply, 200);
  expect(reply.body).toEqual({
    status: "success",
    message: "Access token generated successfully.",
    data: { access_token: expect.any(String), token_type: "Bearer", expires_in: 3600, refresh_token: expect.any(String) },
  });
  return reply.body.data;
}

describe("POST /api/token/refresh: rotation", () => {
  it("returns a new pair in the /api/token shape; the new access token works", async () => {
    const { tokens, data } = await account(server.url);
    const pair = expectNewPair(await refreshWith(tokens.refresh_token));
    expect(pair.refresh_token).not.toBe(tokens.refresh_token);
    const mine = await me(server.url, pair.access_token);
    expectSuccess(mine);
    expect(mine.body.data.user_id).toBe(data.user_id);
  });

  it("lets each new refresh token rotate once more, down a chain", async () => {
    const { tokens } = await account(server.url);
    let current = tokens;
    const seen = new Set([current.refresh_token]);
    for (let i = 0; i < 4; i++) {
      current = expectNewPair(await refreshWith(current.refresh_token));
      expect(seen.has(current.refresh_token)).toBe(false);
      seen.add(current.refresh_token);
    }
    expectSuccess(await me(server.url, current.access_token));
  });

  it("answers a new access token even within the same second as the one it replaces (each carries its own jti)", async () => {
    // A refresh right after a login usually lands in the login's second: same user, session, iat and exp. Take such a
    // pair (a few tries, in case a second boundary falls between them) and compare.
    for (let attempt = 0; attempt < 5; attempt++) {
      const { tokens } = await account(server.url);
      const pair = expectNewPair(await refreshWith(tokens.refresh_token));
      const [before, after] = [decodeJwt(tokens.access_token).payload, decodeJwt(pair.access_token).payload];
      if (before.iat !== after.iat) continue;
      expect(after.sid).toBe(before.sid);
      expect(pair.access_token).not.toBe(tokens.access_token);
      expect(after.jti).toEqual(expect.any(String));
      expect(after.jti).not.toBe(before.jti);
      expectSuccess(await me(server.url, pair.access_token));
      return;
    }
    throw new Error("no login and refresh fell within one second in 5 tries");
  });

  it("ignores unknown body fields", async () => {
    const { tokens } = await account(server.url);
    expectNewPair(await refresh({ refresh_token: tokens.refresh_token, grant_type: "refresh_token", extra: [1] }));
  });
});

describe("POST /api/token/refresh: reuse of a used token (theft detection)", () => {
  it("gives 401 INVALID_TOKEN and revokes the whole session: newer refresh token and access tokens", async () => {
    const { tokens } = await account(server.url);
    const second = expectNewPair(await refreshWith(tokens.refresh_token));
    expectSuccess(await me(server.url, second.access_token));

    expectError(await refreshWith(tokens.refresh_token), 401, "INVALID_TOKEN");

    expectError(await refreshWith(second.refresh_token), 401, "INVALID_TOKEN");
    expectError(await me(server.url, second.access_token), 401, "INVALID_TOKEN");
    expectError(await me(server.url, tokens.access_token), 401, "INVALID_TOKEN");
  });

  it("revokes the session even when the reused token is older than the previous one", async () => {
    const { tokens } = await account(server.url);
    const second = expectNewPair(await refreshWith(tokens.refresh_token));
    const third = expectNewPair(await refreshWith(second.refresh_token));
    expectError(await refreshWith(tokens.refresh_token), 401, "INVALID_TOKEN");
    expectError(await refreshWith(third.refresh_token), 401, "INVALID_TOKEN");
    expectError(await me(server.url, third.access_token), 401, "INVALID_TOKEN");
  });

  it("leaves the same user's other sessions working", async () => {
    const { input, tokens } = await account(server.url);
    const other = await login(server.url, input.username, input.password);
    expectNewPair(await refreshWith(tokens.refresh_token));
    expectError(await refreshWith(tokens.refresh_token), 401, "INVALID_TOKEN");
    expectSuccess(await me(server.url, other.access_token));
    expectNewPair(await refreshWith(other.refresh_token));
  });

  it("lets at most one of two concurrent uses of one refresh token succeed", async () => {
    const { tokens } = await account(server.url);
    const replies = await Promise.all([refreshWith(tokens.refresh_token), refreshWith(tokens.refresh_token)]);
    expect(replies.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
    for (const reply of replies.filter((r) => r.status !== 200)) expectError(reply, 401, "INVALID_TOKEN");
  });
});

describe("POST /api/token/refresh: refused tokens", () => {
  it.each([
    ["an unknown token", "definitely-not-a-refresh-token"],
    ["a token of the right shape but unknown", "A".repeat(43)],
  ])("401 INVALID_TOKEN for %s", async (_label, token) => {
    expectError(await refreshWith(token), 401, "INVALID_TOKEN");
  });

  it("401 INVALID_TOKEN for an access token presented as a refresh token", async () => {
    const { tokens } = await account(server.url);
    expectError(await refreshWith(tokens.access_token), 401, "INVALID_TOKEN");
    expectSuccess(await me(server.url, tokens.access_token));
  });

  it("401 INVALID_TOKEN for the refresh token of a logged-out session", async () => {
    const { tokens } = await account(server.url);
    expectSuccess(await call(server.url, "POST", "/api/logout", { token: tokens.access_token }));
    expectError(await refreshWith(tokens.refresh_token), 401, "INVALID_TOKEN");
  });

  it.each([[{}], [{ refresh_token: null }], [{ token: "x" }]])("400 MISSING_FIELDS for %j", async (body) => {
    const reply = await refresh(body);
    expectError(reply, 400, "MISSING_FIELDS");
    expect(detailPaths(reply)).toEqual(["refresh_token"]);
  });

  it("400 INVALID_REQUEST for a refresh_token that is not a string", async () => {
    const reply = await refresh({ refresh_token: 12345 });
    expectError(reply, 400, "INVALID_REQUEST");
    expect(detailPaths(reply)).toEqual(["refresh_token"]);
  });

  it("400 for an empty body (MISSING_FIELDS, or INVALID_REQUEST since an empty body is not JSON)", async () => {
    const reply = await call(server.url, "POST", "/api/token/refresh");
    expect(["MISSING_FIELDS", "INVALID_REQUEST"]).toContain(reply.body?.code);
    expectError(reply, 400, reply.body.code);
  });
});

describe("POST /api/token/refresh: expiry (REFRESH_TOKEN_TTL_SECONDS=1)", () => {
  it("refuses an expired refresh token with 401 INVALID_TOKEN", async () => {
    const short = await startTestServer({ REFRESH_TOKEN_TTL_SECONDS: "1" });
    try {
      const { tokens } = await account(short.url);
      await sleep(1_500);
      expectError(await refreshWith(tokens.refresh_token, short.url), 401, "INVALID_TOKEN");
    } finally {
      await short.stop();
    }
  });

  it("keeps a refresh token valid within its lifetime (REFRESH_TOKEN_TTL_SECONDS=3600)", async () => {
    const long = await startTestServer({ REFRESH_TOKEN_TTL_SECONDS: "3600" });
    try {
      const { tokens } = await account(long.url);
      await sleep(1_500);
      expectNewPair(await refreshWith(tokens.refresh_token, long.url));
    } finally {
      await long.stop();
    }
  });
});
