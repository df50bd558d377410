import { mkdirSync } from "node:fs";
import path from "node:path";

/** True for a PostgreSQL URL (`postgresql://` or `postgres://`); everything else is SQLite's `file:` form. */
export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//.test(databaseUrl);
}

/** The file path behind a `file:` database URL (Prisma's SQLite URL form), with its folder created. */
export function sqliteFilePath(databaseUrl: string): string {
  if (!databaseUrl.startsWith("file:")) {
    throw new Error(`Unsupported DATABASE_URL "${databaseUrl}": expected a file: URL (SQLite) or a postgresql:// URL.`);
  }
  const file = databaseUrl.slice("file:".length);
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return file;
}
