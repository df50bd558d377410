import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { account, appCodeOf, type Caller, createTestServices, pages, signedInCaller, TEST_PASSWORD, type TestEnv } from "../../testing/index.ts";

let env: TestEnv;
let admin: Caller;
let adminId: string;
beforeAll(async () => {
  env = await createTestServices();
  ({ caller: admin, id: adminId } = await account(env, { role: "admin", username: "root_admin" }));
});
afterAll(() => env.cleanup());

const idOf = async (caller: Caller) => (await caller.auth.me()).data.user_id;

/** The usernames of an admin.users.list walk; every page but the last is full. */
async function walkUsers(input: Parameters<Caller["admin"]["users"]["list"]>[0]) {
  const users = await pages((cursor) => admin.admin.users.list({ ...input, cursor }).then((r) => r.data), { pageSize: input.limit ?? 20, maxPages: 100 });
  return users.map((user) => user.username);
}

describe("admin procedures through createCaller", () => {
  it("refuses a signed-in non-admin with FORBIDDEN on every procedure, before validating input", async () => {
    const user = await signedInCaller(env);
    const calls: Promise<unknown>[] = [
      user.admin.users.list({}),
      user.admin.users.get({ user_id: adminId }),
      user.admin.users.update({ user_id: adminId, role: "user" }),
      user.admin.users.update({ user_id: adminId } as never), // invalid input: the role check comes first
      user.admin.users.delete({ user_id: adminId }),
      user.admin.audit.list({}),
      user.admin.audit.list({ limit: 0 }),
    ];
    // All at once (the calls are already running): awaiting them one by one left later rejections unhandled for a while.
    for (const code of await Promise.all(calls.map(appCodeOf))) expect(code).toBe("FORBIDDEN");
    expect(await appCodeOf(env.caller().admin.users.list({}))).toBe("INVALID_TOKEN");
    expect((await admin.admin.users.get({ user_id: adminId })).data.role).toBe("admin");
  });

  it("lists users by username with filters, literally matching q, across pages", async () => {
    for (const name of ["Zed_One", "zedXone", "zed_two", "ZED.three"]) await signedInCaller(env, name);
    expect(await walkUsers({ q: "ZED_", limit: 1 })).toEqual(["Zed_One", "zed_two"]);
    expect(await walkUsers({ q: "zed", limit: 2 })).toEqual(["ZED.three", "Zed_One", "zed_two", "zedXone"]);
    expect(await walkUsers({ q: "zedxone@EXAMPLE" })).toEqual(["zedXone"]);
    expect(await walkUsers({ q: "100%" })).toEqual([]);
    expect(await walkUsers({ role: "admin" })).toContain("root_admin");
    expect(await walkUsers({ role: "admin" })).not.toContain("Zed_One");
    const all = await walkUsers({ limit: 3 });
    expect(all).toEqual([...all].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
    expect(new Set(all).size).toBe(all.length);
    expect(await appCodeOf(admin.admin.users.list({ cursor: "nope" }))).toBe("INVALID_REQUEST");
    expect(await appCodeOf(admin.admin.users.list({ role: "root" as never }))).toBe("INVALID_REQUEST");
  });

  it("reads one user with counts, and answers USER_NOT_FOUND for an unknown id", async () => {
    const user = await signedInCaller(env);
    await user.data.create({ key: "k", value: "v" });
    await user.tasks.create({ title: "t" });
    const { data } = await admin.admin.users.get({ user_id: await idOf(user) });
    expect(data).toMatchObject({ role: "user", is_active: true, counts: { data_entries: 1, tasks: 1, active_sessions: 1 } });
    expect(await appCodeOf(admin.admin.users.get({ user_id: "missing" }))).toBe("USER_NOT_FOUND");
    expect(await appCodeOf(admin.admin.users.update({ user_id: "missing", role: "user" }))).toBe("USER_NOT_FOUND");
    expect(await appCodeOf(admin.admin.users.delete({ user_id: "missing" }))).toBe("USER_NOT_FOUND");
  });

  it("changes roles (seller included) and refuses an empty or invalid change", async () => {
    const id = await idOf(await signedInCaller(env));
    expect((await admin.admin.users.update({ user_id: id, role: "seller" })).data.role).toBe("seller");
    expect((await admin.admin.users.update({ user_id: id, role: "admin" })).data.role).toBe("admin");
    expect(await appCodeOf(admin.admin.users.update({ user_id: id } as never))).toBe("INVALID_REQUEST");
    expect(await appCodeOf(admin.admin.users.update({ user_id: id, is_active: "no" } as never))).toBe("INVALID_REQUEST");
    await admin.admin.users.update({ user_id: id, role: "user" });
  });

  it("deactivating revokes every session at once; reactivating does not bring them back", async () => {
    const password = TEST_PASSWORD;
    const user = await signedInCaller(env, "to_deactivate");
    const second = (await env.caller().auth.token({ username: "to_deactivate", password })).data;
    const id = await idOf(user);
    const { data } = await admin.admin.users.update({ user_id: id, is_active: false });
    expect(data.is_active).toBe(false);
    expect(await appCodeOf(user.auth.me())).toBe("INVALID_TOKEN");
    expect(await appCodeOf(env.caller().auth.refresh({ refresh_token: second.refresh_token }))).toBe("INVALID_TOKEN");
    expect(await appCodeOf(env.caller().auth.token({ username: "to_deactivate", password }))).toBe("INVALID_CREDENTIALS");
    await admin.admin.users.update({ user_id: id, is_active: true });
    expect(await appCodeOf(user.auth.me())).toBe("INVALID_TOKEN");
    expect((await admin.admin.users.get({ user_id: id })).data.counts.active_sessions).toBe(0);
    const again = (await env.caller().auth.token({ username: "to_deactivate", password })).data;
    expect((await env.caller({ authorization: `Bearer ${again.access_token}` }).auth.me()).data.username).toBe("to_deactivate");
  });

  it("deletes a user with their data, tasks and sessions in one go, leaving others untouched", async () => {
    const doomed = await signedInCaller(env);
    const bystander = await signedInCaller(env);
    for (const caller of [doomed, bystander]) {
      await caller.data.create({ key: "shared-name", value: "v" });
      await caller.tasks.create({ title: "a task" });
    }
    const id = await idOf(doomed);
    expect(await admin.admin.users.delete({ user_id: id })).toEqual({ status: "success", message: "User deleted." });
    const db = env.services.db.kysely;
    expect(await db.selectFrom("data_entries").selectAll().where("owner_id", "=", id).execute()).toEqual([]);
    expect(await db.selectFrom("tasks").selectAll().where("owner_id", "=", id).execute()).toEqual([]);
    expect(await db.selectFrom("sessions").selectAll().where("user_id", "=", id).execute()).toEqual([]);
    expect(await appCodeOf(doomed.auth.me())).toBe("INVALID_TOKEN");
    expect(await appCodeOf(admin.admin.users.get({ user_id: id }))).toBe("USER_NOT_FOUND");
    expect((await bystander.data.get({ key: "shared-name" })).data.value).toBe("v");
    expect((await bystander.tasks.list({})).data.items).toHaveLength(1);
    const [entry] = (await admin.admin.audit.list({ action: "admin.user.deleted", target_id: id })).data.items;
    expect(entry).toMatchObject({ actor_id: adminId, target_id: id });
  });
});
