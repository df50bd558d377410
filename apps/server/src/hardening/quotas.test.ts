/**
 * Per-user quotas and the purge of expired sessions (issue 16, item 14) over real HTTP: one user cannot store
 * without limit, and expired sessions do not pile up.
 */
import { describe, expect, it, vi } from "vitest";
import { call, expectError, expectSuccess } from "../testing/http.ts";
import { testServers } from "../testing/server.ts";
import { account } from "../testing/accounts.ts";

const server = testServers();

describe("per-user quotas (QUOTA_KEYS_PER_USER=10, QUOTA_TASKS_PER_USER=10)", () => {
  it("stores 10 of 30 parallel 64 KiB values, refuses the rest with 409 QUOTA_EXCEEDED, and makes room after a delete", async () => {
    const s = await server({ QUOTA_KEYS_PER_USER: "10", QUOTA_TASKS_PER_USER: "10" });
    const { tokens } = await account(s.url);
    const value = "v".repeat(64 * 1024);
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) => call(s.url, "POST", "/api/data", { json: { key: `k${i}`, value }, token: tokens.access_token })),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(10);
    for (const reply of replies.filter((r) => r.status !== 201)) {
      expectError(reply, 409, "QUOTA_EXCEEDED");
      expect(reply.body.message).toMatch(/limit of 10 keys/);
    }
    const stored = replies.findIndex((r) => r.status === 201);
    expectSuccess(await call(s.url, "DELETE", `/api/data/k${stored}`, { token: tokens.access_token }));
    expectSuccess(await call(s.url, "POST", "/api/data", { json: { key: "after-delete", value }, token: tokens.access_token }), 201);
  });

  it("counts each call of a tRPC batch of tasks.create", async () => {
    const s = await server({ QUOTA_TASKS_PER_USER: "10" });
    const { tokens } = await account(s.url);
    const path = `/trpc/${Array(20).fill("tasks.create").join(",")}?batch=1`;
    const body = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [i, { title: `t${i}` }]));
    const reply = await call(s.url, "POST", path, { json: body, token: tokens.access_token });
    const codes = (reply.body as any[]).map((r) => r.error?.data?.appCode ?? "OK");
    expect(codes.filter((c) => c === "OK")).toHaveLength(10);
    expect(codes.filter((c) => c === "QUOTA_EXCEEDED")).toHaveLength(10);
    expect((await call(s.url, "GET", "/api/tasks?limit=100", { token: tokens.access_token })).body.data.items).toHaveLength(10);
  });
});

describe("expired sessions are purged (SESSION_PURGE_INTERVAL_SECONDS=1)", () => {
  it("deletes a session and its refresh tokens once it has expired", async () => {
    const s = await server({ SESSION_PURGE_INTERVAL_SECONDS: "1", REFRESH_TOKEN_TTL_SECONDS: "1", ACCESS_TOKEN_TTL_SECONDS: "1" });
    const { data } = await account(s.url);
    const rows = async () => {
      const sessions = await s.services.db.kysely.selectFrom("sessions").select("id").where("user_id", "=", data.user_id).execute();
      const ids = sessions.map((row) => row.id);
      const tokens = ids.length === 0 ? [] : await s.services.db.kysely.selectFrom("refresh_tokens").select("token_hash").where("session_id", "in", ids).execute();
      return { sessions: sessions.length, refreshTokens: tokens.length };
    };
    expect(await rows()).toEqual({ sessions: 1, refreshTokens: 1 });
    await vi.waitFor(async () => expect(await rows()).toEqual({ sessions: 0, refreshTokens: 0 }), { timeout: 15_000, interval: 200 });
  });
});
