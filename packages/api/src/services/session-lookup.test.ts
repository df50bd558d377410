import type { Database } from "@tessera/db";
import { describe, expect, it } from "vitest";
import { createSessionLookup } from "./session-lookup.ts";

/**
 * A database with one session row, a count of reads, reads that can be held back, and a way to report a write.
 * Its query builder takes any chain of calls and answers `executeTakeFirst` with the joined row of the session
 * id given to `where` (the lookup's one query).
 */
function fakeDatabase() {
  const listeners: (() => void)[] = [];
  let row = { session_id: "s1", user_id: "u1", revoked_at: null as Date | null, id: "u1", is_active: true };
  let held: Promise<void> | undefined;
  const state = { reads: 0 };
  let wanted: unknown;
  const query: object = new Proxy({}, {
    get: (_target, method) => {
      if (method === "where") return (_column: string, _op: string, id: unknown) => ((wanted = id), query);
      if (method === "executeTakeFirst") {
        return async () => {
          state.reads++;
          const answer = wanted === row.session_id ? structuredClone(row) : undefined;
          await held;
          return answer;
        };
      }
      return () => query;
    },
  });
  const db = {
    kysely: query,
    onWrite(_tables: readonly string[], listener: () => void) {
      listeners.push(listener);
      return () => {};
    },
  } as unknown as Database;
  return {
    db,
    state,
    /** Changes the row and reports the write, as the database's write watch does after a statement. */
    revoke() {
      row = { ...row, revoked_at: new Date() };
      for (const listener of listeners) listener();
    },
    hold() {
      let release!: () => void;
      held = new Promise((resolve) => (release = resolve));
      return () => {
        held = undefined;
        release();
      };
    },
  };
}

describe("session lookup", () => {
  it("answers from memory until a write to users or sessions, then reads the database again", async () => {
    const fake = fakeDatabase();
    const sessions = createSessionLookup(fake.db, { cache: true });
    expect((await sessions.find("s1"))?.revoked_at).toBeNull();
    expect((await sessions.find("s1"))?.revoked_at).toBeNull();
    expect(await sessions.find("nope")).toBeNull();
    expect(await sessions.find("nope")).toBeNull();
    expect(fake.state.reads).toBe(2);
    fake.revoke();
    expect((await sessions.find("s1"))?.revoked_at).toBeInstanceOf(Date);
    expect(fake.state.reads).toBe(3);
  });

  it("does not keep a row read while a write happened: it may predate the write", async () => {
    const fake = fakeDatabase();
    const sessions = createSessionLookup(fake.db, { cache: true });
    const release = fake.hold();
    const inFlight = sessions.find("s1");
    fake.revoke();
    release();
    expect((await inFlight)?.revoked_at).toBeNull(); // what the database said when asked
    expect((await sessions.find("s1"))?.revoked_at).toBeInstanceOf(Date);
    expect(fake.state.reads).toBe(2);
  });

  it("shares rows read-only between requests", async () => {
    const sessions = createSessionLookup(fakeDatabase().db, { cache: true });
    const session = (await sessions.find("s1"))!;
    expect(() => Object.assign(session.user, { isActive: false })).toThrow(TypeError);
  });

  it("reads the database every time without the cache (several processes)", async () => {
    const fake = fakeDatabase();
    const sessions = createSessionLookup(fake.db, { cache: false });
    await sessions.find("s1");
    await sessions.find("s1");
    expect(fake.state.reads).toBe(2);
  });
});

describe("the session cache", () => {
  it("keeps at most maxCached sessions (unknown ids included), the least recently used going first", async () => {
    const fake = fakeDatabase();
    const sessions = createSessionLookup(fake.db, { cache: true, maxCached: 100 });
    for (let i = 0; i < 1000; i++) await sessions.find(`unknown-${i}`); // a flood of ids that name no session
    await sessions.find("s1");
    expect(fake.state.reads).toBe(1001);
    await sessions.find("unknown-999"); // among the 100 kept
    await sessions.find("s1");
    expect(fake.state.reads).toBe(1001);
    await sessions.find("unknown-0"); // long forgotten
    expect(fake.state.reads).toBe(1002);
    for (let i = 0; i < 100; i++) await sessions.find(`another-${i}`);
    await sessions.find("s1"); // pushed out by the last 100
    expect(fake.state.reads).toBe(1103);
  });
});
