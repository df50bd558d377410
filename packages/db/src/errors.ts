/**
 * The driver errors the code reacts to, recognised on both drivers (better-sqlite3's SqliteError codes,
 * PostgreSQL's SQLSTATEs as pg reports them). Nothing outside packages/db looks at a driver's error codes.
 */
const codeOf = (error: unknown): unknown => (typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined);

/** A unique or primary-key constraint refused the write, e.g. a lost create race. */
export function isUniqueViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

/**
 * The database aborted a transaction so that it can be run again: a serialization failure or a deadlock
 * (PostgreSQL), or another connection (another process on the same SQLite file) holding SQLite's write lock past the
 * busy timeout, or committing under a read snapshot (SQLITE_BUSY_SNAPSHOT and the other SQLITE_BUSY_* codes).
 */
export function isWriteConflict(error: unknown): boolean {
  const code = codeOf(error);
  return code === "40001" || code === "40P01" || (typeof code === "string" && code.startsWith("SQLITE_BUSY"));
}
