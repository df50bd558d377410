import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { account, appCodeOf, type Caller, createTestServices, pages, signedInCaller, TEST_PASSWORD, type TestEnv } from "../../testing/index.ts";

let env: TestEnv;
let admin: Caller;
let adminId: string;
beforeAll(async () => {
  env = await createTestServices();
  ({ caller: admin, id: adminId } = await account(env, { role: "admin", username: "auditor" }));
});
afterAll(() => env.cleanup());

/** Every entry of an admin.audit.list walk; every page but the last is full. */
const walkAudit = (input: Parameters<Caller["admin"]["audit"]["list"]>[0], between?: () => Promise<void>) =>
  pages((cursor) => admin.admin.audit.list({ ...input, cursor }).then((r) => r.data), { pageSize: input.limit ?? 20, between });

describe("the audit log", () => {
  it("records logins, failed ones too, with where from and never the password", async () => {
    const user = await signedInCaller(env, "audited");
    const id = (await user.auth.me()).data.user_id;
    const wrong = "Wr0ng-password!";
    expect(await appCodeOf(env.caller({ clientAddress: "203.0.113.9", requestId: "req-1" }).auth.token({ username: "audited", password: wrong }))).toBe("INVALID_CREDENTIALS");
    expect(await appCodeOf(env.caller().auth.token({ username: "nobody_here", password: wrong }))).toBe("INVALID_CREDENTIALS");
    const [unknown, failed, succeeded] = await walkAudit({ action: undefined, limit: 3 }).then((all) => [
      all.find((e) => e.action === "login.failed" && e.details.username === "nobody_here"),
      all.find((e) => e.action === "login.failed" && e.actor_id === id),
      all.find((e) => e.action === "login.succeeded" && e.actor_id === id),
    ]);
    expect(unknown).toMatchObject({ actor_id: null, details: { reason: "unknown_user" } });
    expect(failed).toMatchObject({ client_address: "203.0.113.9", request_id: "req-1", details: { username: "audited", reason: "wrong_password" } });
    expect(succeeded).toMatchObject({ details: { username: "audited" }, client_address: "127.0.0.1" });
    const stored = await env.services.db.kysely.selectFrom("audit_entries").selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(wrong);
    expect(JSON.stringify(stored)).not.toContain(TEST_PASSWORD);
  });

  it("records every admin write with who, what and the target", async () => {
    const target = (await (await signedInCaller(env)).auth.me()).data.user_id;
    await admin.admin.users.update({ user_id: target, role: "seller", is_active: false });
    const [entry] = (await admin.admin.audit.list({ action: "admin.user.updated", target_id: target })).data.items;
    expect(entry).toMatchObject({
      actor_id: adminId,
      details: { changes: { role: { from: "user", to: "seller" }, is_active: { from: true, to: false } }, revoked_sessions: 1 },
    });
    const created = (await admin.admin.audit.list({ action: "admin.superuser.created", target_id: adminId })).data.items;
    expect(created).toMatchObject([{ actor_id: null, client_address: "cli" }]);
  });

  it("pages newest first, every entry exactly once, while entries are being appended", async () => {
    for (let i = 0; i < 7; i++) await env.caller().auth.token({ username: `ghost${i}`, password: "x" }).catch(() => undefined);
    const before = await walkAudit({ limit: 100 });
    // New entries land at the front; they must not shift or repeat what the walk still has to see.
    const failLogin = async () => void (await env.caller().auth.token({ username: "during_walk", password: "x" }).catch(() => undefined));
    const walked = await walkAudit({ limit: 2 }, failLogin);
    expect(walked.map((e) => e.id)).toEqual(before.map((e) => e.id));
    const keys = walked.map((e) => `${e.at}|${e.id}`);
    expect(keys).toEqual([...keys].sort().reverse());
    expect(await appCodeOf(admin.admin.audit.list({ cursor: "garbage" }))).toBe("INVALID_REQUEST");
    expect(await appCodeOf(admin.admin.audit.list({ action: "login.exploded" as never }))).toBe("INVALID_REQUEST");
  });
});
