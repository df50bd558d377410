import { type AppRouter, createSuperuser } from "@tessera/api";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { restClient, trpcClient } from "../testing/clients.ts";
import { call, expectError, expectSuccess, login, PASSWORD, uniqueName } from "../testing/http.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { account } from "../testing/accounts.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function newAdmin(username = uniqueName("adm")) {
  const { id } = await createSuperuser(server.services.db, server.services.passwords, {
    username, email: `${username}@example.com`, password: PASSWORD,
  });
  const tokens = await login(server.url, username, PASSWORD);
  return { id, username, tokens, rest: restClient(server.url, tokens.access_token), trpc: trpcClient(server.url, tokens.access_token) };
}

/** Leaves no admin at all, so that a test starts from the admins it makes itself. */
const demoteEveryone = () => server.services.db.kysely.updateTable("users").set({ role: "user" }).where("role", "=", "admin").execute();

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCClientError);
  const data = (error as TRPCClientError<AppRouter>).data;
  return { appCode: data?.appCode, httpStatus: data?.httpStatus };
}

const activeAdminIds = async (rest: ReturnType<typeof restClient>) =>
  (await rest("GET", "/api/admin/users?role=admin&is_active=true&limit=100")).body.data.items.map((u: { user_id: string }) => u.user_id);

describe("admin.* over tRPC", () => {
  it("serves every admin procedure to an admin and refuses everyone else with the same codes as REST", async () => {
    const { trpc, id } = await newAdmin();
    const someone = await account(server.url);
    const list = await trpc.admin.users.list.query({ q: someone.input.username, is_active: true });
    expect(list.data.items.map((u) => u.user_id)).toEqual([someone.data.user_id]);
    expect((await trpc.admin.users.get.query({ user_id: someone.data.user_id })).data.counts.active_sessions).toBe(1);
    expect((await trpc.admin.users.update.mutate({ user_id: someone.data.user_id, role: "seller" })).data.role).toBe("seller");
    expect((await trpc.admin.audit.list.query({ target_id: someone.data.user_id })).data.items[0]?.action).toBe("admin.user.updated");
    expect(await trpc.admin.users.delete.mutate({ user_id: someone.data.user_id })).toEqual({ status: "success", message: "User deleted." });
    expect(await failure(trpc.admin.users.get.query({ user_id: someone.data.user_id }))).toEqual({ appCode: "USER_NOT_FOUND", httpStatus: 404 });

    const plain = trpcClient(server.url, (await account(server.url)).tokens.access_token);
    const attempts = [
      plain.admin.users.list.query({}),
      plain.admin.users.get.query({ user_id: id }),
      plain.admin.users.update.mutate({ user_id: id, is_active: false }),
      plain.admin.users.delete.mutate({ user_id: id }),
      plain.admin.audit.list.query({}),
    ];
    for (const result of await Promise.all(attempts.map(failure))) expect(result).toEqual({ appCode: "FORBIDDEN", httpStatus: 403 });
    expect(await failure(trpcClient(server.url).admin.audit.list.query({}))).toEqual({ appCode: "INVALID_TOKEN", httpStatus: 401 });
  });
});

describe("last-admin protection", () => {
  it("refuses to demote, deactivate or delete the last active admin (409 LAST_ADMIN), on both surfaces", async () => {
    await demoteEveryone();
    const solo = await newAdmin();
    const url = `/api/admin/users/${solo.id}`;
    expectError(await solo.rest("PATCH", url, { role: "user" }), 409, "LAST_ADMIN");
    expectError(await solo.rest("PATCH", url, { is_active: false }), 409, "LAST_ADMIN");
    expectError(await solo.rest("DELETE", url), 409, "LAST_ADMIN");
    expect(await failure(solo.trpc.admin.users.update.mutate({ user_id: solo.id, role: "seller" }))).toEqual({ appCode: "LAST_ADMIN", httpStatus: 409 });
    // With a second active admin, the first may step down (and then loses admin access at once).
    const second = await newAdmin();
    expectSuccess(await solo.rest("PATCH", url, { role: "user" }));
    expectError(await solo.rest("GET", "/api/admin/users"), 403, "FORBIDDEN");
    expect(await activeAdminIds(second.rest)).toEqual([second.id]);
  });

  it("holds when two admins demote each other at the same moment, over and over", async () => {
    for (let round = 0; round < 6; round++) {
      await demoteEveryone();
      const [a, b] = [await newAdmin(), await newAdmin()];
      const replies = await Promise.all([
        a.rest("PATCH", `/api/admin/users/${b.id}`, { role: "user" }),
        b.rest(round % 2 ? "DELETE" : "PATCH", `/api/admin/users/${a.id}`, round % 2 ? undefined : { is_active: false }),
      ]);
      expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
      const loser = replies.find((r) => r.status !== 200)!;
      // Refused as the last admin; or, when the other write committed first, no longer an admin (403), or
      // deactivated or deleted (401: the session went with it).
      expect([[409, "LAST_ADMIN"], [403, "FORBIDDEN"], [401, "INVALID_TOKEN"]]).toContainEqual([loser.status, loser.body.code]);
      const survivor = replies[0]!.status === 200 ? a : b;
      expect(await activeAdminIds(survivor.rest)).toEqual([survivor.id]);
    }
  });
});

describe("GET /api/admin/audit", () => {
  it("records logins (with the client address and request id) and admin writes, newest first, walked by cursor", async () => {
    const auditor = await newAdmin();
    const someone = await account(server.url);
    const failed = await call(server.url, "POST", "/api/token", { json: { username: someone.input.username, password: "Wr0ng-pass!" } });
    expectError(failed, 401, "INVALID_CREDENTIALS");
    expectSuccess(await auditor.rest("PATCH", `/api/admin/users/${someone.data.user_id}`, { is_active: false }));

    const entries: any[] = [];
    let cursor: string | undefined;
    do {
      const reply = await auditor.rest("GET", `/api/admin/audit?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expectSuccess(reply);
      entries.push(...reply.body.data.items);
      cursor = reply.body.data.next_cursor ?? undefined;
    } while (cursor);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    const keys = entries.map((e) => `${e.at}|${e.id}`);
    expect(keys).toEqual([...keys].sort().reverse());
    const mine = entries.filter((e) => e.actor_id === someone.data.user_id || e.target_id === someone.data.user_id);
    expect(mine.map((e) => e.action)).toEqual(["admin.user.updated", "login.failed", "login.succeeded"]);
    expect(mine[0]).toMatchObject({ actor_id: auditor.id, details: { changes: { is_active: { from: true, to: false } }, revoked_sessions: 1 } });
    expect(mine[1]).toMatchObject({ request_id: failed.headers.get("x-request-id"), details: { reason: "wrong_password" } });
    expect(mine[1].client_address).toMatch(/127\.0\.0\.1/);
    expect(JSON.stringify(entries)).not.toContain(PASSWORD);
    expect(JSON.stringify(entries)).not.toContain("Wr0ng-pass!");
    const filtered = await auditor.rest("GET", `/api/admin/audit?action=login.failed&actor_id=${someone.data.user_id}`);
    expect(filtered.body.data.items).toHaveLength(1);
    expectError(await auditor.rest("GET", "/api/admin/audit?action=nope"), 400, "INVALID_REQUEST");
  });
});
