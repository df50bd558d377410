import { createSuperuser } from "@tessera/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { restClient } from "../testing/clients.ts";
import { call, expectError, expectSuccess, login, PASSWORD, uniqueName } from "../testing/http.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { account, type Account } from "../testing/accounts.ts";

let server: TestServer;
let admin: ReturnType<typeof restClient>;
let adminId: string;
let user: Account;

/** An active admin through the createsuperuser path (the CLI's function), logged in over REST. */
async function newAdmin(username = uniqueName("adm")) {
  const { id } = await createSuperuser(server.services.db, server.services.passwords, {
    username, email: `${username}@example.com`, password: PASSWORD,
  });
  const tokens = await login(server.url, username, PASSWORD);
  return { id, username, tokens, rest: restClient(server.url, tokens.access_token) };
}

beforeAll(async () => {
  server = await startTestServer();
  ({ rest: admin, id: adminId } = await newAdmin("the_admin"));
  user = await account(server.url);
});
afterAll(() => server.stop());

const ADMIN_ROUTES = [
  ["GET", "/admin/users"], ["GET", "/admin/users/{user_id}"], ["PATCH", "/admin/users/{user_id}"],
  ["DELETE", "/admin/users/{user_id}"], ["GET", "/admin/audit"],
];

describe("admin routes in the OpenAPI document, and who may call them", () => {
  it("lists exactly the admin routes, under the admin tag, documenting 401 and 403", async () => {
    const document = (await call(server.url, "GET", "/api/openapi.json")).body;
    expect(document.tags.map((tag: { name: string }) => tag.name)).toContain("admin");
    const routes = Object.entries(document.paths as Record<string, Record<string, { tags: string[]; responses: object }>>)
      .filter(([path]) => path.startsWith("/admin"))
      .flatMap(([path, operations]) => Object.entries(operations).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
    // HEAD is documented wherever GET is.
    const expected = [...ADMIN_ROUTES, ...ADMIN_ROUTES.filter(([method]) => method === "GET").map(([, path]) => ["HEAD", path])];
    expect(routes.map((r) => [r.method, r.path]).sort()).toEqual(expected.sort());
    for (const { op } of routes) {
      expect(op.tags).toEqual(["admin"]);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["200", "401", "403"]));
    }
    const tagged = Object.values(document.paths as Record<string, Record<string, { tags: string[] }>>)
      .flatMap((operations) => Object.values(operations))
      .filter((op) => op.tags.includes("admin"));
    expect(tagged).toHaveLength(expected.length);
  });

  it.each(ADMIN_ROUTES)("%s %s: 401 without a token, 403 for a non-admin (even with a bad body), not 403 for an admin", async (method, path) => {
    const url = `/api${path.replace("{user_id}", adminId)}`;
    const body = method === "PATCH" ? { role: "admin" } : undefined;
    expectError(await call(server.url, method, url, { json: body }), 401, "INVALID_TOKEN");
    expectError(await call(server.url, method, url, { json: body, token: user.tokens.access_token }), 403, "FORBIDDEN");
    if (method === "PATCH") {
      expectError(await call(server.url, method, url, { raw: "{not json", token: user.tokens.access_token }), 403, "FORBIDDEN");
    }
    // The admin's own write here keeps them an active admin; DELETE of the only admin is refused.
    const asAdmin = await admin(method, url, body);
    if (method === "DELETE") expectError(asAdmin, 409, "LAST_ADMIN");
    else expectSuccess(asAdmin);
  });
});

describe("GET /api/admin/users", () => {
  it("pages by username with q, role and is_active filters", async () => {
    const tag = uniqueName("q").toLowerCase();
    const names = ["a", "b", "c", "d", "e"].map((s) => `${tag}_${s}`);
    for (const username of names) await account(server.url, { register: { username } });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const reply = await admin("GET", `/api/admin/users?q=${tag.toUpperCase()}&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expectSuccess(reply);
      seen.push(...reply.body.data.items.map((u: { username: string }) => u.username));
      cursor = reply.body.data.next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(names);
    const item = (await admin("GET", `/api/admin/users?q=${names[0]}`)).body.data.items[0];
    expect(Object.keys(item).sort()).toEqual(["age", "created_at", "email", "full_name", "gender", "is_active", "role", "user_id", "username"]);
    const admins = (await admin("GET", "/api/admin/users?role=admin&is_active=true&limit=100")).body.data.items;
    expect(admins.map((u: { user_id: string }) => u.user_id)).toContain(adminId);
    expect((await admin("GET", "/api/admin/users?is_active=false&limit=100")).body.data.items.every((u: { is_active: boolean }) => !u.is_active)).toBe(true);
    expectError(await admin("GET", "/api/admin/users?is_active=maybe"), 400, "INVALID_REQUEST");
    expectError(await admin("GET", "/api/admin/users?role=root"), 400, "INVALID_REQUEST");
    expectError(await admin("GET", "/api/admin/users?limit=0"), 400, "INVALID_REQUEST");
    expectError(await admin("GET", "/api/admin/users?cursor=bogus"), 400, "INVALID_REQUEST");
  });
});

describe("GET, PATCH and DELETE /api/admin/users/{user_id}", () => {
  it("reads one user with counts; unknown ids are 404 USER_NOT_FOUND", async () => {
    const reply = await admin("GET", `/api/admin/users/${user.data.user_id}`);
    expectSuccess(reply);
    expect(reply.body.data).toMatchObject({ user_id: user.data.user_id, role: "user", is_active: true, counts: { active_sessions: 1 } });
    for (const method of ["GET", "PATCH", "DELETE"]) {
      expectError(await admin(method, "/api/admin/users/no-such-user", method === "PATCH" ? { role: "user" } : undefined), 404, "USER_NOT_FOUND");
    }
  });

  it("patches role and is_active; refuses an empty or mistyped body", async () => {
    const target = await account(server.url);
    const url = `/api/admin/users/${target.data.user_id}`;
    const reply = await admin("PATCH", url, { role: "seller" });
    expectSuccess(reply);
    expect(reply.body).toMatchObject({ message: "User updated.", data: { role: "seller", is_active: true } });
    expectError(await admin("PATCH", url, {}), 400, "INVALID_REQUEST");
    expectError(await admin("PATCH", url, { is_active: "false" }), 400, "INVALID_REQUEST");
    expectError(await admin("PATCH", url, { role: "superuser" }), 400, "INVALID_REQUEST");
    expectError(await admin("PUT", url, { role: "user" }), 405, "METHOD_NOT_ALLOWED");
  });

  it("deactivating ends every session at once: access and refresh tokens are refused", async () => {
    const target = await account(server.url);
    const second = await login(server.url, target.input.username);
    expectSuccess(await admin("PATCH", `/api/admin/users/${target.data.user_id}`, { is_active: false }));
    for (const tokens of [target.tokens, second]) {
      expectError(await call(server.url, "GET", "/api/me", { token: tokens.access_token }), 401, "INVALID_TOKEN");
      expectError(await call(server.url, "POST", "/api/token/refresh", { json: { refresh_token: tokens.refresh_token } }), 401, "INVALID_TOKEN");
    }
    expectError(await call(server.url, "POST", "/api/token", { json: { username: target.input.username, password: PASSWORD } }), 401, "INVALID_CREDENTIALS");
  });

  it("deletes a user with all their data and tasks, and nobody else's", async () => {
    const doomed = await account(server.url);
    const other = await account(server.url);
    for (const who of [doomed, other]) {
      const rest = restClient(server.url, who.tokens.access_token);
      expectSuccess(await rest("POST", "/api/data", { key: "k", value: "v" }), 201);
      expectSuccess(await rest("POST", "/api/tasks", { title: "t" }), 201);
    }
    expect((await admin("GET", `/api/admin/users/${doomed.data.user_id}`)).body.data.counts).toEqual({ data_entries: 1, tasks: 1, active_sessions: 1 });
    const reply = await admin("DELETE", `/api/admin/users/${doomed.data.user_id}`);
    expectSuccess(reply);
    expect(reply.body).toEqual({ status: "success", message: "User deleted." });
    expectError(await admin("GET", `/api/admin/users/${doomed.data.user_id}`), 404, "USER_NOT_FOUND");
    expectError(await call(server.url, "GET", "/api/data/k", { token: doomed.tokens.access_token }), 401, "INVALID_TOKEN");
    const db = server.services.db.kysely;
    expect(await db.selectFrom("data_entries").select("key").where("owner_id", "=", doomed.data.user_id).execute()).toEqual([]);
    expect(await db.selectFrom("tasks").select("id").where("owner_id", "=", doomed.data.user_id).execute()).toEqual([]);
    expect((await admin("GET", `/api/admin/users/${other.data.user_id}`)).body.data.counts).toEqual({ data_entries: 1, tasks: 1, active_sessions: 1 });
    // The name is free again, and the audit entry outlives the account.
    expectSuccess(await call(server.url, "POST", "/api/register", { json: { ...doomed.input } }), 201);
    const audit = await admin("GET", `/api/admin/audit?action=admin.user.deleted&target_id=${doomed.data.user_id}`);
    expect(audit.body.data.items).toMatchObject([{ actor_id: adminId, details: { username: doomed.input.username } }]);
  });
});
