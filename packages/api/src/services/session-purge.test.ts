/** The purge of expired sessions and refresh tokens: what goes, what stays, and how much one sweep does. */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestServices, type TestEnv } from "../testing/index.ts";
import { createServices } from "./index.ts";
import { startSessionPurge } from "./session-purge.ts";

let env: TestEnv;
beforeAll(async () => {
  env = await createTestServices();
});
afterAll(() => env.cleanup());

const quiet = { info() {}, warn() {}, error() {} };
const HOUR = 3600_000;

/** A user with `count` sessions expiring at `expiresAt`, each with one refresh token expiring then too. */
async function sessions(count: number, expiresAt: Date, refreshExpiresAt = expiresAt) {
  const db = env.services.db.kysely;
  const userId = randomUUID();
  const now = new Date();
  await db.insertInto("users").values({
    id: userId, username: userId, username_key: userId, email: `${userId}@example.com`, password_hash: "x", full_name: "P", gender: "other", created_at: now,
  }).execute();
  const ids = Array.from({ length: count }, () => randomUUID());
  for (const id of ids) {
    await db.insertInto("sessions").values({ id, user_id: userId, created_at: now, expires_at: expiresAt }).execute();
    await db.insertInto("refresh_tokens").values({ token_hash: randomUUID(), session_id: id, created_at: now, expires_at: refreshExpiresAt }).execute();
  }
  return { userId, ids };
}

const left = async (table: "sessions" | "refresh_tokens", column: "id" | "session_id", ids: string[]) =>
  (await env.services.db.kysely.selectFrom(table).select(column).where(column, "in", ids).execute()).length;

describe("session purge", () => {
  it("deletes sessions expired past the grace with their refresh tokens, and expired refresh tokens of live sessions", async () => {
    const expired = await sessions(3, new Date(Date.now() - 2 * HOUR));
    const inGrace = await sessions(2, new Date(Date.now() - HOUR / 2));
    const live = await sessions(2, new Date(Date.now() + HOUR), new Date(Date.now() - 1000)); // old refresh tokens
    const purge = startSessionPurge(env.services.db, { intervalSeconds: 3600, maxRowsPerSweep: 10_000, graceSeconds: 3600 }, quiet);
    await purge.stop(); // waits for the sweep made at start
    expect(await left("sessions", "id", expired.ids)).toBe(0);
    expect(await left("refresh_tokens", "session_id", expired.ids)).toBe(0);
    expect(await left("sessions", "id", inGrace.ids)).toBe(2);
    expect(await left("sessions", "id", live.ids)).toBe(2);
    expect(await left("refresh_tokens", "session_id", live.ids)).toBe(0);
    // Leave nothing expired behind for the next test's counts.
    await env.services.db.kysely.deleteFrom("users").where("id", "in", [inGrace.userId, live.userId]).execute();
  });

  it("deletes at most maxRowsPerSweep rows per sweep, and the rest on the next", async () => {
    const expired = await sessions(1200, new Date(Date.now() - 2 * HOUR));
    const purge = startSessionPurge(env.services.db, { intervalSeconds: 3600, maxRowsPerSweep: 700, graceSeconds: 0 }, quiet);
    await purge.stop();
    expect(await left("sessions", "id", expired.ids)).toBe(500);
    expect((await purge.sweep()).sessions).toBe(500);
    expect(await left("sessions", "id", expired.ids)).toBe(0);
  });

  it("runs when the services start, and again every SESSION_PURGE_INTERVAL_SECONDS", async () => {
    const first = await sessions(2, new Date(Date.now() - 2 * HOUR));
    const services = createServices({ ...env.config, sessionPurge: { intervalSeconds: 1, maxRowsPerSweep: 100 } }, env.services.db, { logger: quiet });
    try {
      await vi.waitFor(async () => expect(await left("sessions", "id", first.ids)).toBe(0), { timeout: 5000 });
      const second = await sessions(2, new Date(Date.now() - 2 * HOUR));
      await vi.waitFor(async () => expect(await left("sessions", "id", second.ids)).toBe(0), { timeout: 10_000 });
    } finally {
      await services.close();
    }
  });
});
