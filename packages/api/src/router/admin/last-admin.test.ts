import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { account, appCodeOf, createTestServices, type TestEnv } from "../../testing/index.ts";

let env: TestEnv;
beforeAll(async () => {
  env = await createTestServices();
});
afterAll(() => env.cleanup());

const activeAdmins = async () =>
  (await env.services.db.kysely.selectFrom("users").select("id").where("role", "=", "admin").where("is_active", "=", true).execute()).length;
const demoteEveryone = () => env.services.db.kysely.updateTable("users").set({ role: "user" }).where("role", "=", "admin").execute();

describe("the last active admin", () => {
  it("cannot demote, deactivate or delete themself; with a second admin they can", async () => {
    await demoteEveryone();
    const { caller: solo, id } = await account(env, { role: "admin" });
    expect(await appCodeOf(solo.admin.users.update({ user_id: id, role: "user" }))).toBe("LAST_ADMIN");
    expect(await appCodeOf(solo.admin.users.update({ user_id: id, role: "seller" }))).toBe("LAST_ADMIN");
    expect(await appCodeOf(solo.admin.users.update({ user_id: id, is_active: false }))).toBe("LAST_ADMIN");
    expect(await appCodeOf(solo.admin.users.delete({ user_id: id }))).toBe("LAST_ADMIN");
    // A change that keeps them an active admin is fine.
    expect((await solo.admin.users.update({ user_id: id, role: "admin", is_active: true })).data.role).toBe("admin");

    const { id: otherId } = await account(env, { role: "admin" });
    // A deactivated admin does not count.
    await solo.admin.users.update({ user_id: otherId, is_active: false });
    expect(await appCodeOf(solo.admin.users.update({ user_id: id, role: "user" }))).toBe("LAST_ADMIN");
    await solo.admin.users.update({ user_id: otherId, is_active: true });
    expect((await solo.admin.users.update({ user_id: id, role: "user" })).data.role).toBe("user");
    expect(await activeAdmins()).toBe(1);
    // Demoted, the former admin's token no longer opens admin routes.
    expect(await appCodeOf(solo.admin.users.list({}))).toBe("FORBIDDEN");
  });

  it("survives two admins demoting each other at the same time: exactly one wins", async () => {
    for (let round = 0; round < 5; round++) {
      await demoteEveryone();
      const a = await account(env, { role: "admin" });
      const b = await account(env, { role: "admin" });
      const results = await Promise.allSettled([
        a.caller.admin.users.update({ user_id: b.id, role: "user" }),
        b.caller.admin.users.update({ user_id: a.id, role: "user" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const [failure] = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      // The loser is either refused as the last admin, or (when the winner committed first) no longer an admin.
      expect(["LAST_ADMIN", "FORBIDDEN"]).toContain(failure!.reason.appCode);
      expect(await activeAdmins()).toBe(1);
    }
  });

  it("survives concurrent deactivations and deletions of every admin: one stays", async () => {
    await demoteEveryone();
    const admins = await Promise.all([1, 2, 3, 4].map(() => account(env, { role: "admin" })));
    await Promise.allSettled(
      admins.flatMap((actor, i) =>
        admins.map((target, j) =>
          (i + j) % 2 === 0
            ? actor.caller.admin.users.update({ user_id: target.id, is_active: false })
            : actor.caller.admin.users.delete({ user_id: target.id }),
        ),
      ),
    );
    expect(await activeAdmins()).toBe(1);
  });
});
