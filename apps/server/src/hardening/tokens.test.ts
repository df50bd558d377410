/**
 * Forged, altered, stale and misused tokens: every one is refused with 401 INVALID_TOKEN, over REST and tRPC.
 * Tokens are built by hand with node:crypto from the real token's claims and the server's real secret
 * (`server.config.jwtSecret`), so each case differs from a valid token in exactly the way it names.
 */
import { createHmac, createSign, generateKeyPairSync } from "node:crypto";
import { createSuperuser } from "@tessera/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, decodeJwt, expectError, expectSuccess, login, PASSWORD, uniqueName } from "../testing/http.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { account } from "../testing/accounts.ts";

let server: TestServer;
let valid: { access_token: string; refresh_token: string };
let claims: Record<string, unknown>;

beforeAll(async () => {
  server = await startTestServer();
  valid = (await account(server.url)).tokens;
  claims = decodeJwt(valid.access_token).payload;
});
afterAll(() => server?.stop());

const b64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
const hs256 = (header: Record<string, unknown>, payload: Record<string, unknown>, secret: string | Buffer) => {
  const unsigned = `${b64(header)}.${b64(payload)}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
};
const now = () => Math.floor(Date.now() / 1000);

/** The token must be refused on a REST route and on a tRPC procedure, with the contract's code. */
async function expectRefused(token: string): Promise<void> {
  expectError(await call(server.url, "GET", "/api/me", { token }), 401, "INVALID_TOKEN");
  expectError(await call(server.url, "GET", "/api/tasks", { token }), 401, "INVALID_TOKEN");
  const trpc = await call(server.url, "GET", "/trpc/auth.me", { token });
  expect(trpc.status).toBe(401);
  expect(trpc.body.error.data.appCode).toBe("INVALID_TOKEN");
}

describe("forged and altered access tokens", () => {
  it("the untouched token works (the baseline every case departs from)", async () => {
    expectSuccess(await call(server.url, "GET", "/api/me", { token: valid.access_token }));
    // The hand-made signer reproduces a valid token: so the refusals below are for the named change alone.
    const remade = hs256(decodeJwt(valid.access_token).header, claims, server.config.jwtSecret);
    expectSuccess(await call(server.url, "GET", "/api/me", { token: remade }));
  });

  const cases: [string, () => string][] = [
    ["alg: none, no signature", () => `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`],
    ["alg: none with the real signature kept", () => `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.${valid.access_token.split(".")[2]}`],
    ["alg: NONE / None spellings", () => `${b64({ alg: "None", typ: "JWT" })}.${b64(claims)}.`],
    ["HS256 signed with another secret", () => hs256({ alg: "HS256", typ: "JWT" }, claims, "another-secret-another-secret-another-secret")],
    ["HS512 signed with the real secret (algorithm not pinned would accept it)", () => {
      const unsigned = `${b64({ alg: "HS512", typ: "JWT" })}.${b64(claims)}`;
      return `${unsigned}.${createHmac("sha512", server.config.jwtSecret).update(unsigned).digest("base64url")}`;
    }],
    ["RS256 signed with a generated key pair", () => {
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const unsigned = `${b64({ alg: "RS256", typ: "JWT" })}.${b64(claims)}`;
      return `${unsigned}.${createSign("RSA-SHA256").update(unsigned).sign(privateKey, "base64url")}`;
    }],
    ["RS/HS confusion: HS256 keyed with an RSA public key (PEM) and the header saying RS256", () => {
      const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const pem = publicKey.export({ type: "spki", format: "pem" });
      return hs256({ alg: "RS256", typ: "JWT" }, claims, pem);
    }],
    ["tampered payload (another subject), original signature", () => {
      const [header, , signature] = valid.access_token.split(".");
      return `${header}.${b64({ ...claims, sub: "someone-else" })}.${signature}`;
    }],
    ["tampered payload (exp pushed a year), original signature", () => {
      const [header, , signature] = valid.access_token.split(".");
      return `${header}.${b64({ ...claims, exp: now() + 365 * 86_400 })}.${signature}`;
    }],
    ["tampered header (kid added), original signature", () => {
      const [, payload, signature] = valid.access_token.split(".");
      return `${b64({ alg: "HS256", typ: "JWT", kid: "x" })}.${payload}.${signature}`;
    }],
    ["signature removed", () => valid.access_token.split(".").slice(0, 2).join(".") + "."],
    ["signature truncated", () => valid.access_token.slice(0, -4)],
    ["expired (exp in the past), correctly signed", () => hs256({ alg: "HS256", typ: "JWT" }, { ...claims, iat: now() - 7200, exp: now() - 3600 }, server.config.jwtSecret)],
    ["not yet valid (nbf in the future), correctly signed", () => hs256({ alg: "HS256", typ: "JWT" }, { ...claims, nbf: now() + 3600 }, server.config.jwtSecret)],
    ["typ other than access, correctly signed", () => hs256({ alg: "HS256", typ: "JWT" }, { ...claims, typ: "refresh" }, server.config.jwtSecret)],
    ["no session id, correctly signed", () => hs256({ alg: "HS256", typ: "JWT" }, { ...claims, sid: undefined }, server.config.jwtSecret)],
    ["an unknown session id, correctly signed", () => hs256({ alg: "HS256", typ: "JWT" }, { ...claims, sid: "no-such-session" }, server.config.jwtSecret)],
    ["the refresh token presented as a Bearer access token", () => valid.refresh_token],
    ["an empty string", () => ""],
    ["garbage with dots", () => "a.b.c"],
  ];
  it.each(cases)("refuses %s", async (_name, make) => {
    await expectRefused(make());
  });
});

describe("tokens in the wrong role", () => {
  it("refuses an access token presented as refresh_token (401 INVALID_TOKEN), and the session survives", async () => {
    const session = (await account(server.url)).tokens;
    expectError(await call(server.url, "POST", "/api/token/refresh", { json: { refresh_token: session.access_token } }), 401, "INVALID_TOKEN");
    const trpc = await call(server.url, "POST", "/trpc/auth.refresh", { json: { refresh_token: session.access_token } });
    expect(trpc.body.error.data.appCode).toBe("INVALID_TOKEN");
    expectSuccess(await call(server.url, "GET", "/api/me", { token: session.access_token }));
  });

  it("refuses a refresh token presented as Bearer on every kind of route", async () => {
    const session = (await account(server.url)).tokens;
    for (const [method, path] of [["GET", "/api/me"], ["GET", "/api/data"], ["POST", "/api/logout"], ["GET", "/api/tasks"]] as const) {
      expectError(await call(server.url, method, path, { token: session.refresh_token }), 401, "INVALID_TOKEN");
    }
  });
});

describe("a deactivated user's tokens", () => {
  it("stop working at once (access and refresh), and work again for a new login after reactivation", async () => {
    const user = await account(server.url);
    const adminName = uniqueName("admin");
    await createSuperuser(server.services.db, server.services.passwords, { username: adminName, email: `${adminName}@example.com`, password: PASSWORD });
    const admin = (await login(server.url, adminName)).access_token;
    expectSuccess(await call(server.url, "GET", "/api/me", { token: user.tokens.access_token }));

    expectSuccess(await call(server.url, "PATCH", `/api/admin/users/${user.data.user_id}`, { token: admin, json: { is_active: false } }));
    await expectRefused(user.tokens.access_token);
    expectError(await call(server.url, "POST", "/api/token/refresh", { json: { refresh_token: user.tokens.refresh_token } }), 401, "INVALID_TOKEN");
    // A token for the deactivated user signed with the real secret (as if minted before) is refused too.
    const forged = hs256({ alg: "HS256", typ: "JWT" }, { ...decodeJwt(user.tokens.access_token).payload, iat: now() }, server.config.jwtSecret);
    await expectRefused(forged);

    expectSuccess(await call(server.url, "PATCH", `/api/admin/users/${user.data.user_id}`, { token: admin, json: { is_active: true } }));
    // Revoked sessions stay revoked; a new login works.
    await expectRefused(user.tokens.access_token);
    expectSuccess(await call(server.url, "GET", "/api/me", { token: (await login(server.url, user.input.username)).access_token }));
  });
});
