import type { Database } from "@tessera/db";
import { LRUCache } from "lru-cache";
import type { UserRow } from "../router/auth/users.ts";

/** Sessions kept in memory (the least recently used go first): a few MB at most. */
const MAX_CACHED = 10_000;

/** A login session with its user (every column but the password hash): what authentication checks. */
export interface SessionWithUser {
  id: string;
  user_id: string;
  revoked_at: Date | null;
  user: Omit<UserRow, "password_hash" | "username_key" | "demoted_by">;
}

async function loadSession(db: Database, id: string): Promise<SessionWithUser | null> {
  const row = await db.kysely
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select([
      "sessions.id as session_id", "sessions.user_id", "sessions.revoked_at",
      "users.id", "users.username", "users.email", "users.full_name", "users.age", "users.gender", "users.role",
      "users.store_name", "users.is_active", "users.created_at",
    ])
    .where("sessions.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  const { session_id, user_id, revoked_at, ...user } = row;
  return { id: session_id, user_id, revoked_at, user };
}

const NO_SESSION = Symbol("no such session");

export interface SessionLookup {
  /** The session and its user as the database has them now, or null when there is no such session. */
  find(sessionId: string): Promise<SessionWithUser | null>;
}

/**
 * Where authentication reads sessions. Every authenticated request needs its session and user; with `cache`,
 * they come from this process's memory until anything writes to the `users` or `sessions` tables, which
 * empties the cache (the write watch of @tessera/db sees every statement this process sends: logouts,
 * refresh-token reuse, deactivation, role changes and deletions, raw writes too, and for a transaction it
 * fires after the commit). Writes by *another* process are not seen, so the cache is only for a single
 * process: with several (REDIS_URL set) every request reads the database, as before.
 */
export function createSessionLookup(db: Database, options: { cache: boolean; maxCached?: number }): SessionLookup {
  if (!options.cache) return { find: (id) => loadSession(db, id) };

  // lru-cache keeps values that are objects; a session that does not exist is remembered as NO_SESSION.
  const cached = new LRUCache<string, SessionWithUser | typeof NO_SESSION>({ max: options.maxCached ?? MAX_CACHED });
  let generation = 0;
  db.onWrite(["users", "sessions"], () => {
    generation++;
    cached.clear();
  });
  return {
    async find(id) {
      const hit = cached.get(id);
      if (hit !== undefined) return hit === NO_SESSION ? null : hit;
      const startedAt = generation;
      const session = await loadSession(db, id);
      if (session) Object.freeze(Object.freeze(session).user); // shared by every request that finds it
      // A write that landed while this read was in flight may not be in what it returned: keep only rows
      // known to be current.
      if (generation === startedAt) cached.set(id, session ?? NO_SESSION);
      return session;
    },
  };
}
