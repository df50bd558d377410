import type { Database } from "@tessera/db";
import type { ServiceLogger } from "./redis.ts";

/** Rows one DELETE removes: short statements, so a sweep never holds SQLite's one writer for long. */
const BATCH = 500;

export interface SessionPurgeOptions {
  intervalSeconds: number;
  /** The most rows (sessions and refresh tokens each) one sweep deletes: bounded work, whatever the backlog. */
  maxRowsPerSweep: number;
  /**
   * How long after its expiry a session is kept: the access-token lifetime, so that no access token can still be
   * valid for a session that is gone (a session's expiry is its last refresh token's, issued with its last access
   * token; with an access lifetime longer than the refresh lifetime that token would outlive the expiry).
   */
  graceSeconds: number;
}

export interface SessionPurge {
  /** Deletes expired rows now (at most maxRowsPerSweep of each kind); resolves with how many went. */
  sweep(): Promise<{ sessions: number; refreshTokens: number }>;
  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void>;
}

/**
 * Expired login sessions (with their refresh tokens, ON DELETE CASCADE) and expired refresh tokens of live sessions
 * (every refresh leaves one behind) are deleted at start and then every `intervalSeconds`, by every process (the
 * deletes are idempotent; two processes sweeping at once just share the work). Nothing else reads them once
 * expired: an expired refresh token is refused the same way whether its row is there or not.
 */
export function startSessionPurge(db: Database, options: SessionPurgeOptions, logger: ServiceLogger): SessionPurge {
  const deleteExpired = async (table: "sessions" | "refresh_tokens", key: "id" | "token_hash", before: Date) => {
    let deleted = 0;
    while (deleted < options.maxRowsPerSweep) {
      const batch = Math.min(BATCH, options.maxRowsPerSweep - deleted);
      const result = await db.kysely
        .deleteFrom(table)
        .where(key, "in", (eb) => eb.selectFrom(table).select(key).where("expires_at", "<", before).limit(batch))
        .executeTakeFirst();
      const count = Number(result.numDeletedRows);
      deleted += count;
      if (count < batch) break;
    }
    return deleted;
  };

  const sweep = async () => {
    const now = Date.now();
    const sessions = await deleteExpired("sessions", "id", new Date(now - options.graceSeconds * 1000));
    const refreshTokens = await deleteExpired("refresh_tokens", "token_hash", new Date(now));
    return { sessions, refreshTokens };
  };

  let running: Promise<unknown> | undefined;
  const runLogged = () => {
    if (running) return; // the previous sweep is still going: this tick is skipped, not queued
    running = sweep().then(
      (deleted) => {
        if (deleted.sessions + deleted.refreshTokens > 0) logger.info(deleted, "expired sessions purged");
      },
      (error: unknown) => logger.warn({ err: error }, "expired sessions could not be purged; trying again later"),
    ).finally(() => (running = undefined));
  };
  runLogged();
  const timer = setInterval(runLogged, options.intervalSeconds * 1000);
  timer.unref();

  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
