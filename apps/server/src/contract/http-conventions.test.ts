/** docs/contract.md "Conventions": envelopes, request ids, routing order, bodies, limits; plus the documentation routes. */
import { validate } from "@readme/openapi-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { call, expectError, expectJsonEnvelope, expectNoLeak, expectSuccess, me, newUser, rawRequest, type Reply } from "../testing/http.ts";
import { account } from "../testing/accounts.ts";

let server: TestServer;
let token: string;
beforeAll(async () => {
  server = await startTestServer();
  token = (await account(server.url)).tokens.access_token;
});
afterAll(() => server.stop());

const MIB = 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The REST routes of docs/contract.md "Auth", with the one method each answers. */
const AUTH_ROUTES = [
  ["POST", "/api/register"], ["POST", "/api/token"], ["POST", "/api/login"],
  ["POST", "/api/token/refresh"], ["POST", "/api/logout"], ["GET", "/api/me"],
] as const;
const BODY_ROUTES = AUTH_ROUTES.filter(([method, path]) => method === "POST" && path !== "/api/logout").map(([, path]) => path);

describe("envelopes and X-Request-Id", () => {
  it("answers every kind of outcome with a JSON envelope and an X-Request-Id", async () => {
    const replies: Reply[] = [
      await call(server.url, "POST", "/api/register", { json: newUser() }),
      await call(server.url, "POST", "/api/register", { json: {} }),
      await call(server.url, "GET", "/api/me", { token }),
      await call(server.url, "GET", "/api/me"),
      await call(server.url, "GET", "/api/nowhere"),
      await call(server.url, "DELETE", "/api/token"),
      await call(server.url, "POST", "/api/token", { raw: "{" }),
    ];
    expect(replies.map((r) => r.status)).toEqual([201, 400, 200, 401, 404, 405, 400]);
    for (const reply of replies) {
      expectJsonEnvelope(reply);
      expect(reply.headers.get("x-request-id")).toMatch(UUID);
    }
  });

  it("echoes a valid incoming X-Request-Id, up to 128 characters, on success and error", async () => {
    for (const id of ["abc.DEF_123-x", "a", "Z".repeat(128)]) {
      for (const [method, path] of [["GET", "/api/me"], ["GET", "/api/nowhere"], ["PUT", "/api/me"]] as const) {
        const reply = await call(server.url, method, path, { token, headers: { "X-Request-Id": id } });
        expect(reply.headers.get("x-request-id")).toBe(id);
      }
    }
  });

  it.each([["too long", "Z".repeat(129)], ["a space", "bad id"], ["a slash", "a/b"], ["a colon", "a:b"], ["non-ASCII", "id\u00e9"]])(
    "replaces an incoming X-Request-Id that is %s by a fresh UUID",
    async (_label, id) => {
      const headers = { "x-request-id": id, authorization: `Bearer ${token}` };
      const reply = await rawRequest(server.url, { method: "GET", path: "/api/me", headers });
      expectSuccess(reply);
      expect(reply.headers.get("x-request-id")).toMatch(UUID);
    },
  );

  it("generates a different id for each request", async () => {
    const [a, b] = await Promise.all([call(server.url, "GET", "/api/me"), call(server.url, "GET", "/api/me")]);
    expect(a.headers.get("x-request-id")).not.toBe(b.headers.get("x-request-id"));
  });
});

describe("routing: trailing slash, 404, 405", () => {
  it("answers every auth path with a trailing slash too", async () => {
    const user = newUser();
    expectSuccess(await call(server.url, "POST", "/api/register/", { json: user }), 201);
    const tokens = await call(server.url, "POST", "/api/token/", { json: { username: user.username, password: user.password } });
    expectSuccess(tokens);
    expectSuccess(await call(server.url, "POST", "/api/login/", { json: { username: user.username, password: user.password } }));
    const rotated = await call(server.url, "POST", "/api/token/refresh/", { json: { refresh_token: tokens.body.data.refresh_token } });
    expectSuccess(rotated);
    const mine = await call(server.url, "GET", "/api/me/", { token: rotated.body.data.access_token });
    expectSuccess(mine);
    expect(mine.body.data.username).toBe(user.username);
    expectSuccess(await call(server.url, "POST", "/api/logout/", { token: rotated.body.data.access_token }));
    expectError(await call(server.url, "GET", "/api/me/"), 401, "INVALID_TOKEN");
    expectError(await call(server.url, "POST", "/api/register/", { json: {} }), 400, "INVALID_REQUEST");
  });

  it.each([
    ["GET", "/api/nowhere"], ["POST", "/api/nowhere"], ["GET", "/api"], ["GET", "/api/"], ["POST", "/api/registerx"],
    ["GET", "/api/me/extra"], ["POST", "/api/token/refresh/extra"], ["GET", "/api//me"], ["GET", "/"], ["GET", "/nothing/here"],
    ["POST", "/register"], ["GET", "/me"],
  ])("404 NOT_FOUND for %s %s, with or without a token", async (method, path) => {
    expectError(await call(server.url, method, path), 404, "NOT_FOUND");
    expectError(await call(server.url, method, path, { token }), 404, "NOT_FOUND");
  });

  it.each([
    ["GET", "/api/register"], ["PUT", "/api/token"], ["DELETE", "/api/login"], ["GET", "/api/token/refresh/"],
    ["GET", "/api/logout"], ["POST", "/api/me"], ["DELETE", "/api/me/"], ["PATCH", "/api/me"],
  ])("405 METHOD_NOT_ALLOWED with Allow for %s %s, with, without or with a garbage token", async (method, path) => {
    const allowed = AUTH_ROUTES.find(([, route]) => path.replace(/\/$/, "") === route)![0];
    for (const auth of [{}, { token }, { token: "garbage" }]) {
      const reply = await call(server.url, method, path, { ...auth, raw: method === "GET" ? undefined : "{not json" });
      expectError(reply, 405, "METHOD_NOT_ALLOWED");
      const allow = (reply.headers.get("allow") ?? "").split(",").map((m) => m.trim());
      expect(allow).toContain(allowed);
      expect(allow).not.toContain(method);
    }
  });

  it("decides routing, then authentication, then validation", async () => {
    // Wrong method beats a missing token and a malformed body.
    expectError(await call(server.url, "GET", "/api/logout"), 405, "METHOD_NOT_ALLOWED");
    expectError(await call(server.url, "PUT", "/api/me", { raw: "{oops" }), 405, "METHOD_NOT_ALLOWED");
    // A missing token beats a malformed or non-object body.
    expectError(await call(server.url, "POST", "/api/logout", { raw: "{oops" }), 401, "INVALID_TOKEN");
    expectError(await call(server.url, "POST", "/api/logout", { raw: "[1,2]", token: "garbage" }), 401, "INVALID_TOKEN");
    // With a valid token the malformed body is then reported.
    const { tokens } = await account(server.url);
    expectError(await call(server.url, "POST", "/api/logout", { raw: "{oops", token: tokens.access_token }), 400, "INVALID_REQUEST");
  });
});

describe("routing on the probes and HEAD (docs/contract.md: 405 with Allow on every known path; HEAD where GET is)", () => {
  it.each(["/healthz", "/readyz", "/healthz/", "/readyz/"])("405 METHOD_NOT_ALLOWED with Allow: GET, HEAD for other methods on %s", async (path) => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      for (const auth of [{}, { token }]) {
        const reply = await call(server.url, method, path, { ...auth, raw: method === "DELETE" ? undefined : "{}" });
        expectError(reply, 405, "METHOD_NOT_ALLOWED");
        expect(reply.headers.get("allow")).toBe("GET, HEAD");
        expect(reply.headers.get("x-request-id")).toMatch(UUID);
      }
    }
    for (const method of ["GET", "HEAD"]) expect((await call(server.url, method, path)).status).toBe(200);
  });

  it("answers HEAD like GET, without the body, on every kind of route", async () => {
    const { tokens } = await account(server.url);
    for (const [path, auth, status] of [
      ["/api/me", tokens.access_token, 200], ["/api/me/", tokens.access_token, 200], ["/api/me", undefined, 401],
      ["/api/tasks", tokens.access_token, 200], ["/api/data/no-such-key", tokens.access_token, 404], ["/api/products?limit=1", undefined, 200],
      ["/api/products?limit=0", undefined, 400], ["/api/categories", undefined, 200], ["/api/images/nothing", undefined, 404],
      ["/healthz", undefined, 200],
    ] as const) {
      const head = await call(server.url, "HEAD", path, { token: auth });
      const get = await call(server.url, "GET", path, { token: auth });
      expect({ path, head: head.status, get: get.status }).toEqual({ path, head: status, get: status });
      expect(head.text).toBe("");
      expect(head.headers.get("content-type")).toBe(get.headers.get("content-type"));
    }
  });

  it("400 INVALID_REQUEST on POST /api/logout for a body that is not a JSON object, once the token is valid", async () => {
    for (const raw of ["{oops", "[1]", "\"text\"", "42"]) {
      const { tokens } = await account(server.url);
      const reply = await call(server.url, "POST", "/api/logout", { raw, token: tokens.access_token });
      expectError(reply, 400, "INVALID_REQUEST");
      expectSuccess(await me(server.url, tokens.access_token)); // refused, so not logged out
    }
  });
});

describe("request bodies", () => {
  it.each(BODY_ROUTES)("400 INVALID_REQUEST for malformed JSON on %s", async (path) => {
    for (const raw of ["{", "{\"username\": }", "{'username': 'x'}", "{\"a\":1,}", "not json", "{\"a\":1}{\"b\":2}", "\u0000"]) {
      expectError(await call(server.url, "POST", path, { raw }), 400, "INVALID_REQUEST");
    }
  });

  it.each(BODY_ROUTES)("400 INVALID_REQUEST for JSON that is not an object on %s", async (path) => {
    for (const raw of ["[]", "[{\"username\":\"x\",\"password\":\"y\"}]", "\"text\"", "42", "null", "true"]) {
      expectError(await call(server.url, "POST", path, { raw }), 400, "INVALID_REQUEST");
    }
  });

  const nested = (depth: number) => ({
    arrays: `${"[".repeat(depth)}${"]".repeat(depth)}`,
    objects: `${"{\"a\":".repeat(depth)}1${"}".repeat(depth)}`,
    "a field": `{"username":${"[".repeat(depth)}${"]".repeat(depth)},"password":"x"}`,
  });
  it.each([5_000, 100_000].flatMap((depth) => Object.entries(nested(depth)).map(([label, raw]) => [depth, label, raw] as const)))(
    "JSON nested %i deep (%s) is answered without 5xx, with a JSON envelope", async (_depth, _label, raw) => {
    for (const path of ["/api/token", "/api/register"]) {
      const reply = await call(server.url, "POST", path, { raw });
      expectJsonEnvelope(reply);
      expect(reply.body.status).toBe("error");
      expect(reply.status, reply.text).toBeLessThan(500);
      expect(reply.status).toBeGreaterThanOrEqual(400);
    }
    expectSuccess(await call(server.url, "GET", "/api/me", { token }));
  });

  it("reads an exactly-1 MiB body (the limit is on larger bodies)", async () => {
    const body = JSON.stringify(newUser({ full_name: "" }));
    const raw = body.replace('"full_name":""', `"full_name":"${"x".repeat(MIB - body.length)}"`);
    expect(Buffer.byteLength(raw)).toBe(MIB);
    const reply = await call(server.url, "POST", "/api/register", { raw });
    expectError(reply, 400, "INVALID_REQUEST"); // read and validated: the full name is too long
  });

  it.each(["/api/register", "/api/token", "/api/token/refresh", "/api/logout"])("413 PAYLOAD_TOO_LARGE for 1 MiB + 1 byte on %s", async (path) => {
    const raw = JSON.stringify({ filler: "x".repeat(MIB - 12) });
    expect(Buffer.byteLength(raw)).toBe(MIB + 1);
    expectError(await call(server.url, "POST", path, { raw, token }), 413, "PAYLOAD_TOO_LARGE");
  });

  it("413 PAYLOAD_TOO_LARGE for a 2 MiB body sent chunked with no Content-Length", async () => {
    const chunk = "x".repeat(64 * 1024);
    const chunks = ['{"username":"someone","password":"', ...Array.from({ length: 32 }, () => chunk), '"}'];
    const reply = await rawRequest(server.url, {
      method: "POST",
      path: "/api/token",
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
      chunks,
    });
    expect(reply.headers.get("content-length")).not.toBeNull(); // the answer itself is a plain JSON body
    expectError(reply, 413, "PAYLOAD_TOO_LARGE");
  });

  it("reads a small chunked body with no Content-Length", async () => {
    const user = newUser();
    const raw = JSON.stringify(user);
    const reply = await rawRequest(server.url, {
      method: "POST",
      path: "/api/register",
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
      chunks: [raw.slice(0, 10), raw.slice(10, 30), raw.slice(30)],
    });
    expectSuccess(reply, 201);
    expect(reply.body.data.username).toBe(user.username);
  });

  it("answers a chunked malformed body with 400 and an envelope", async () => {
    const reply = await rawRequest(server.url, {
      method: "POST",
      path: "/api/token",
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
      chunks: ['{"username":', '"x", oops'],
    });
    expectError(reply, 400, "INVALID_REQUEST");
  });
});

describe("documentation routes", () => {
  it("serves /api/openapi.json: an OpenAPI 3 document listing every auth path and method", async () => {
    const reply = await call(server.url, "GET", "/api/openapi.json");
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toMatch(/^application\/json\b/);
    expect(reply.headers.get("x-request-id")).toMatch(UUID);
    expectNoLeak(reply);
    const document = reply.body;
    expect(document.openapi).toMatch(/^3\./);
    const prefix = document.paths["/api/register"] ? "" : new URL(document.servers?.[0]?.url ?? "", "http://x").pathname.replace(/\/$/, "");
    for (const [method, path] of AUTH_ROUTES) {
      const operation = document.paths[path.slice(prefix.length)]?.[method.toLowerCase()];
      expect(operation, `${method} ${path}`).toBeDefined();
    }
  });

  it("serves an /api/openapi.json that is valid against the OpenAPI schema (docs/contract.md Operations)", async () => {
    const document = (await call(server.url, "GET", "/api/openapi.json")).body;
    const result = await validate(document);
    expect(result.valid, result.valid ? "" : JSON.stringify(result.errors).slice(0, 500)).toBe(true);
  });

  it("serves /api/openapi.json with a trailing slash too, and answers other methods 405 with Allow: GET", async () => {
    const slashed = await call(server.url, "GET", "/api/openapi.json/");
    expect(slashed.status).toBe(200);
    expect(slashed.body.openapi).toMatch(/^3\./);
    for (const method of ["POST", "DELETE"]) {
      const reply = await call(server.url, method, "/api/openapi.json", { token });
      expectError(reply, 405, "METHOD_NOT_ALLOWED");
      expect((reply.headers.get("allow") ?? "").split(",").map((m) => m.trim())).toContain("GET");
    }
  });

  it("serves /docs as HTML", async () => {
    for (const path of ["/docs", "/docs/"]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html\b/);
      expect(await res.text()).toMatch(/<html/i);
    }
  });
});
