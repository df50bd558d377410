import type { Database } from "@tessera/db";

const MAX_CACHED = 10_000;

const loadSession = (db: Database, id: string) => db.prisma.session.findUnique({ where: { id }, include: { user: true } });

/** A login session with its user: what authentication checks (revocation, owner, deactivation, role). */
export type SessionWithUser = NonNullable<Awaited<ReturnType<typeof loadSession>>>;

export interface SessionLookup {
  /** The session and its user as the database has them now, or null when there is no such session. */
  find(sessionId: string): Promise<SessionWithUser | null>;
}

/**
 * Where authentication reads sessions. Every authenticated request needs its session and user; with `cache`,
 * they come from this process's memory until anything writes to the `users` or `sessions` tables, which
 * empties the cache (the write watch of @tessera/db sees every statement this process sends: logouts,
 * refresh-token reuse, deactivation, role changes and deletions, nested and raw writes too, and for a
 * transaction it fires after the commit). Writes by *another* process are not seen, so the cache is only for
 * a single process: with several (REDIS_URL set) every request reads the database, as before.
 */
export function createSessionLookup(db: Database, options: { cache: boolean }): SessionLookup {
  if (!options.cache) return { find: (id) => loadSession(db, id) };

  const cached = new Map<string, SessionWithUser | null>();
  let generation = 0;
  db.onWrite(["users", "sessions"], () => {
    generation++;
    cached.clear();
  });
  return {
    async find(id) {
      const hit = cached.get(id);
      if (hit !== undefined) return hit;
      const startedAt = generation;
      const session = await loadSession(db, id);
      if (session) Object.freeze(Object.freeze(session).user); // shared by every request that finds it
      // A write that landed while this read was in flight may not be in what it returned: keep only rows
      // known to be current.
      if (generation === startedAt) {
        if (cached.size >= MAX_CACHED) cached.delete(cached.keys().next().value!);
        cached.set(id, session);
      }
      return session;
    },
  };
}
