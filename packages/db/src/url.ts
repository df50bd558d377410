import { mkdirSync } from "node:fs";
import path from "node:path";

/** The file path behind a `file:` database URL (Prisma's SQLite URL form), with its folder created. */
export function sqliteFilePath(databaseUrl: string): string {
  if (!databaseUrl.startsWith("file:")) {
    throw new Error(`Unsupported DATABASE_URL "${databaseUrl}": expected a file: URL (SQLite).`);
  }
  const file = databaseUrl.slice("file:".length);
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return file;
}
