/**
 * Property-based fuzzing of every REST route (from `restRoutes`) and every tRPC procedure (from the router):
 * arbitrary JSON, wrong types, nulls, huge numbers and strings, deep nesting, `__proto__`/`constructor` keys,
 * invalid UTF-8, and bad percent-encoding in paths and queries, with and without a valid token.
 * Every answer must be below 500, JSON, the contract's envelope (tRPC's error shape with data.appCode on /trpc),
 * and free of stack traces; afterwards Object.prototype of this process (the server runs in it) is unchanged.
 *
 * Replay a failure with FUZZ_SEED=<the printed seed> (and the printed path, if fast-check gives one).
 */
import { appRouter, createSuperuser } from "@tessera/api";
import { httpRoutes, restRoutes } from "../http/rest/routes.ts";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, expectNoLeak, login, PASSWORD, type Reply, uniqueName } from "../testing/http.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { account } from "../testing/accounts.ts";

const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : 20_240_611;
/** Cases per property; the sum is printed and checked to reach 10,000. */
const RUNS = { rest: 6_000, trpc: 4_000, prototype: 300 } as const;

let server: TestServer;
let userToken: string;
let adminToken: string;
let adminId: string;
let prototypeBefore: Record<string, PropertyDescriptor>;
let casesRun = 0;

beforeAll(async () => {
  console.log(`[fuzz] seed ${SEED} (replay with FUZZ_SEED=${SEED}); ${RUNS.rest + RUNS.trpc + RUNS.prototype} cases`);
  prototypeBefore = Object.getOwnPropertyDescriptors(Object.prototype);
  server = await startTestServer({ LOGIN_MAX_FAILURES_PER_ACCOUNT: "1000000", LOGIN_MAX_FAILURES_PER_ADDRESS: "1000000" });
  userToken = (await account(server.url)).tokens.access_token;
  const username = uniqueName("root");
  adminId = (await createSuperuser(server.services.db, server.services.passwords, { username, email: `${username}@example.com`, password: PASSWORD })).id;
  adminToken = (await login(server.url, username)).access_token;
});
afterAll(() => server?.stop());

// ---------------------------------------------------------------------------------------------
// Generators

const hugeNumbers = fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), 1e-320, -0, 4.2e21, 0.1);
const hostileStrings = fc.constantFrom(
  "", " ", "\u0000", "\uD800", "\uDFFF", "%00", "null", "undefined", "__proto__", "constructor", "<script>", "' OR 1=1 --",
  "%", "%%", "@@BIG_ASCII@@", "@@BIG_UTF8@@", "\u202E", "🦄".repeat(100), "2024-13-45T99:99:99Z", "NaN", "-1",
);
const leaf = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 5 },
  { arbitrary: hugeNumbers, weight: 1 },
  { arbitrary: hostileStrings, weight: 1 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 40 }), weight: 2 },
);

/** Field names the routes read, plus prototype keys, so fuzzed bodies reach validation and handlers. */
const FIELDS = [
  "username", "email", "password", "full_name", "age", "gender", "refresh_token", "key", "value", "title", "description",
  "status", "priority", "due_date", "limit", "cursor", "prefix", "q", "sort", "role", "is_active", "id", "user_id",
  "action", "actor_id", "target_id", "name", "price_cents", "currency", "stock", "categories", "store_name", "image_id",
  "product_id", "quantity", "payment_method", "__proto__", "constructor", "prototype",
] as const;

/** A JSON text built by hand, so `__proto__` stays a key (duplicates too), never a prototype. */
const objectText = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 8 })), leaf), { maxLength: 8 })
  .map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(",")}}`);

const protoText = fc
  .tuple(fc.constantFrom("__proto__", "constructor", "prototype"), fc.jsonValue({ maxDepth: 2 }))
  .map(([key, value]) => `{"${key}":{"polluted":true,"isAdmin":true,"role":"admin","prototype":{"polluted":true}},"x":${JSON.stringify(value)}}`);

const deepText = fc.tuple(fc.integer({ min: 60, max: 6_000 }), fc.constantFrom("[", "{\"a\":")).map(([depth, open]) =>
  `{"key":${open.repeat(depth)}1${(open === "[" ? "]" : "}").repeat(depth)}}`);

const invalidUtf8 = fc
  .tuple(fc.constantFrom(...FIELDS), fc.uint8Array({ minLength: 1, maxLength: 12 }).map((b) => Buffer.from([0xff, ...b, 0xc3])))
  .map(([field, bytes]) => Buffer.concat([Buffer.from(`{"${field}":"`), bytes, Buffer.from('","value":"v"}')]));

const brokenText = fc.oneof(
  fc.constantFrom("", "{", "}", "[", "null", "true", "0", "\"str\"", "{\"a\":}", "{'a':1}", "{\"a\":1,}", "\u0000", "NaN", "{\"a\":1e999999}"),
  fc.string({ unit: "binary", maxLength: 60 }),
);

/** A request body: JSON text or raw bytes; undefined for none. */
const body = fc.oneof(
  { arbitrary: objectText, weight: 6 },
  { arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)), weight: 2 },
  { arbitrary: protoText, weight: 1 },
  { arbitrary: deepText, weight: 1 },
  { arbitrary: invalidUtf8, weight: 1 },
  { arbitrary: brokenText, weight: 1 },
  { arbitrary: fc.constant(undefined), weight: 1 },
);

const encode = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return "%ED%A0%80"; // a lone surrogate: encoded as the (invalid) UTF-8 of U+D800
  }
};
const badPercent = fc.constantFrom("%E0%A4%A", "%ZZ", "%", "%2", "%C0%AF", "%FF%FE", "%ED%A0%80", "%00", "%2F", "..%2F..", "%2e%2e", "%25", "%u0041", "+");
/** A path segment or query value: percent-encoded strings mixed with invalid sequences. */
const segment = fc
  .array(fc.oneof(fc.string({ unit: "binary", maxLength: 20 }).map(encode), badPercent, hostileStrings.map((s) => encode(s.slice(0, 300)))), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(""));
const QUERY_NAMES = [
  "limit", "cursor", "prefix", "q", "sort", "status", "priority", "role", "is_active", "action", "category", "seller", "min_price",
  "max_price", "in_stock", "__proto__", "constructor[prototype][x]", "limit[]",
];
const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_NAMES), segment), segment), { maxLength: 4 }).map((pairs) =>
  pairs.length === 0 ? "" : `?${pairs.map(([name, value]) => `${name}=${value}`).join("&")}`);

type Auth = "none" | "user" | "admin" | "garbage";
const auth = fc.constantFrom<Auth>("none", "user", "user", "admin", "garbage");
const headersFor = (who: Auth): Record<string, string> =>
  who === "none" ? {} : { authorization: who === "garbage" ? "Bearer a.b.c" : `Bearer ${who === "user" ? userToken : adminToken}` };

/** Huge strings travel as markers, so a failing case prints short; `send` expands them. */
const expand = (text: string) => text.replaceAll("@@BIG_ASCII@@", "a".repeat(70_000)).replaceAll("@@BIG_UTF8@@", "é".repeat(40_000));

async function send(method: string, path: string, who: Auth, payload: string | Buffer | undefined): Promise<Reply> {
  if (typeof payload === "string") payload = expand(payload);
  const headers = headersFor(who);
  const withBody = payload !== undefined && method !== "GET" && method !== "HEAD";
  if (withBody) headers["content-type"] = "application/json";
  const res = await fetch(`${server.url}${path}`, { method, headers, body: withBody ? payload : undefined });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  casesRun++;
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** A session the fuzzer ended (logout) is replaced, so later cases still run authenticated. */
async function keepSessions(reply: Reply, who: Auth, procedure: string): Promise<void> {
  if (procedure !== "auth.logout" || reply.status !== 200) return;
  if (who === "user") userToken = (await account(server.url)).tokens.access_token;
}

function expectRestEnvelope(reply: Reply, where: string): void {
  const context = `${where} -> ${reply.status} ${reply.headers.get("content-type")} ${reply.text.slice(0, 300)}`;
  expect(reply.status, context).toBeLessThan(500);
  expect(reply.headers.get("content-type"), context).toMatch(/^application\/json\b/);
  expect(typeof reply.body === "object" && reply.body !== null, `${context}: ${reply.text.slice(0, 200)}`).toBe(true);
  expectNoLeak(reply);
  if (reply.status >= 400) {
    expect(reply.body.status, context).toBe("error");
    expect(reply.body.code, context).toMatch(/^[A-Z_]+$/);
    expect(reply.body.message, context).toBeTypeOf("string");
    for (const name of Object.keys(reply.body)) expect(["status", "code", "message", "details"], context).toContain(name);
  } else {
    expect(reply.body.status, context).toBe("success");
  }
}

function expectTrpcShape(reply: Reply, where: string): void {
  const context = `${where} -> ${reply.status} ${reply.headers.get("content-type")} ${reply.text.slice(0, 300)}`;
  expect(reply.status, context).toBeLessThan(500);
  expect(reply.headers.get("content-type"), context).toMatch(/^application\/json\b/);
  expect(typeof reply.body === "object" && reply.body !== null, `${context}: ${reply.text.slice(0, 200)}`).toBe(true);
  expectNoLeak(reply);
  for (const item of Array.isArray(reply.body) ? reply.body : [reply.body]) {
    if ("error" in item) {
      expect(item.error.message, context).toBeTypeOf("string");
      expect(item.error.data?.appCode, `${context}: ${JSON.stringify(item).slice(0, 300)}`).toMatch(/^[A-Z_]+$/);
      expect(item.error.data.httpStatus, context).toBeLessThan(500);
      expect(item.error.data.stack, context).toBeUndefined();
    } else {
      expect(item, context).toHaveProperty("result");
    }
  }
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
const PROCEDURES = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>).map(([path, p]) => ({ path, type: p._def.type }));

// ---------------------------------------------------------------------------------------------

describe("fuzzing", { timeout: 300_000 }, () => {
  it("lists every REST route and every tRPC procedure", () => {
    expect(restRoutes.length).toBeGreaterThanOrEqual(22);
    expect(PROCEDURES.map((p) => p.path)).toEqual(expect.arrayContaining(restRoutes.map((r) => r.procedurePath)));
    expect(RUNS.rest + RUNS.trpc + RUNS.prototype).toBeGreaterThanOrEqual(10_000);
  });

  it("answers every REST route, whatever it is sent, with the contract's envelope and never a 5xx", async () => {
    const routeCase = fc.record({
      // The http routes (image upload and bytes) too: whatever they are sent, they answer errors as envelopes.
      route: fc.constantFrom(...restRoutes, ...httpRoutes),
      method: fc.oneof({ arbitrary: fc.constant(""), weight: 5 }, { arbitrary: fc.constantFrom(...METHODS), weight: 1 }),
      params: fc.array(segment, { minLength: 2, maxLength: 2 }),
      slash: fc.boolean(),
      query,
      body,
      who: auth,
    });
    await fc.assert(
      fc.asyncProperty(routeCase, async ({ route, method, params, slash, query: search, body: payload, who }) => {
        let i = 0;
        const path = `/api${route.path.replace(/\{\w+\}/g, () => params[i++]!)}${slash ? "/" : ""}${search}`;
        const verb = method || route.method;
        const reply = await send(verb, path, who, payload);
        expectRestEnvelope(reply, `${verb} ${path} as ${who}`);
        await keepSessions(reply, who, route.procedurePath);
      }),
      { seed: SEED, numRuns: RUNS.rest, endOnFailure: true },
    );
  });

  it("answers every tRPC procedure, batched or not, with tRPC's error shape carrying data.appCode and never a 5xx", async () => {
    const input = fc.oneof(
      { arbitrary: objectText, weight: 5 },
      { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), weight: 2 },
      { arbitrary: protoText, weight: 1 },
      { arbitrary: deepText, weight: 1 },
      { arbitrary: brokenText, weight: 1 },
    );
    const trpcCase = fc.record({
      procedures: fc.array(fc.constantFrom(...PROCEDURES.filter((p) => p.type !== "subscription")), { minLength: 1, maxLength: 3 }),
      batch: fc.boolean(),
      inputs: fc.array(input, { minLength: 3, maxLength: 3 }),
      garbledQuery: fc.option(segment, { freq: 5 }),
      garbledPath: fc.option(segment, { freq: 10 }),
      flip: fc.integer({ min: 0, max: 9 }),
      who: auth,
    });
    await fc.assert(
      fc.asyncProperty(trpcCase, async ({ procedures, batch, inputs, garbledQuery, garbledPath, flip, who }) => {
        const isBatch = batch || procedures.length > 1;
        const names = (isBatch ? procedures : procedures.slice(0, 1)).map((p) => p.path);
        if (garbledPath !== null) names[0] = garbledPath; // an unknown or undecodable procedure name
        const query = procedures[0]!.type === "query";
        // One time in ten the other method: a query POSTed, a mutation sent as GET (tRPC answers 405).
        const method = (flip === 0) !== query ? "GET" : "POST";
        let path: string;
        let payload: string | undefined;
        if (isBatch) {
          const batched = `{${names.map((_, n) => `"${n}":${inputs[n]!.startsWith("{") ? inputs[n] : JSON.stringify(inputs[n])}`).join(",")}}`;
          path = `/trpc/${names.join(",")}?batch=1`;
          if (method === "GET") path += `&input=${garbledQuery ?? encode(batched)}`;
          else payload = batched;
        } else {
          path = `/trpc/${names[0]}`;
          if (method === "GET") path += `?input=${garbledQuery ?? encode(inputs[0]!)}`;
          else payload = inputs[0];
        }
        const reply = await send(method, path, who, payload);
        // Dot segments (`%2e%2e`) normalise the URL out of /trpc: then the app's own 404 envelope answers.
        // A request line over 16 KiB is refused by the HTTP layer, before routing, with the contract's envelope.
        const transportLevel = reply.status === 400 && reply.body?.status === "error";
        if (new URL(`${server.url}${path}`).pathname.startsWith("/trpc/") && !transportLevel) expectTrpcShape(reply, `${method} ${path.slice(0, 300)} as ${who}`);
        else expectRestEnvelope(reply, `${method} ${path.slice(0, 300)} as ${who}`);
        if (names.includes("auth.logout")) await keepSessions({ ...reply, status: 200 }, who, "auth.logout");
      }),
      { seed: SEED + 1, numRuns: RUNS.trpc, endOnFailure: true },
    );
  });

  it("lets no __proto__ / constructor key make anyone admin or reach Object.prototype", async () => {
    const hostile = fc.record({
      key: fc.constantFrom("__proto__", "constructor", "prototype"),
      route: fc.constantFrom("/api/register", "/api/token", "/api/data", "/api/tasks", "/api/logout", "/trpc/auth.register", "/trpc/tasks.create"),
    });
    await fc.assert(
      fc.asyncProperty(hostile, async ({ key, route }) => {
        const username = uniqueName("p");
        const inner = `{"isAdmin":true,"role":"admin","is_active":true,"polluted":"yes","prototype":{"polluted":"yes"}}`;
        const text = `{"${key}":${inner},"username":"${username}","email":"${username}@example.com","password":"${PASSWORD}",` +
          `"full_name":"P","gender":"other","role":"admin","key":"k-${username}","value":"v","title":"t"}`;
        const reply = await send("POST", route, route.includes("register") ? "none" : "user", text);
        if (route.startsWith("/trpc")) expectTrpcShape(reply, route);
        else expectRestEnvelope(reply, route);
        if (route.includes("register")) {
          expect(reply.status, reply.text).toBe(route.startsWith("/trpc") ? 200 : 201);
          const token = (await login(server.url, username)).access_token;
          const meReply = await call(server.url, "GET", "/api/me", { token });
          expect(meReply.body.data.role).toBe("user");
          expect((await call(server.url, "GET", "/api/admin/users", { token })).status).toBe(403);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      }),
      { seed: SEED + 2, numRuns: RUNS.prototype, endOnFailure: true },
    );
  });

  it("left Object.prototype of the server's process unchanged and every account as it was", async () => {
    expect(Object.getOwnPropertyDescriptors(Object.prototype)).toEqual(prototypeBefore);
    for (const name of ["polluted", "isAdmin", "role", "is_active", "x"]) expect(name in {}).toBe(false);
    // Only the superuser made in beforeAll is an admin.
    const admins = await server.services.db.kysely.selectFrom("users").select("id").where("role", "=", "admin").execute();
    expect(admins.map((a) => a.id)).toEqual([adminId]);
    console.log(`[fuzz] seed ${SEED}: ${casesRun} requests sent`);
    expect(casesRun).toBeGreaterThanOrEqual(10_000);
  });
});
