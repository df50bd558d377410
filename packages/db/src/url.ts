/** The file path behind a `file:` database URL (Prisma's SQLite URL form). */
export function sqliteFilePath(databaseUrl: string): string {
  if (!databaseUrl.startsWith("file:")) {
    throw new Error(`Unsupported DATABASE_URL "${databaseUrl}": expected a file: URL (SQLite).`);
  }
  return databaseUrl.slice("file:".length);
}
