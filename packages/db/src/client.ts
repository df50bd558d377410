import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/sqlite/client.ts";
import { applyMigrations } from "./migrate.ts";
import { sqliteFilePath } from "./url.ts";

export type Prisma = InstanceType<typeof PrismaClient>;

export interface Database {
  prisma: Prisma;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url: string;
  /** Apply pending migrations before connecting (the default). */
  migrate?: boolean;
}

/**
 * The one place that picks a driver adapter for a DATABASE_URL.
 * SQLite only for now; the PostgreSQL adapter plugs in here.
 */
export async function createDatabase({ url, migrate = true }: DatabaseOptions): Promise<Database> {
  if (migrate) applyMigrations(url);
  const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: sqliteFilePath(url) }) });
  // WAL lets readers run beside the writer; foreign keys are off by default in SQLite and the
  // schema's cascades depend on them; NORMAL sync in WAL mode survives a process crash.
  await prisma.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await prisma.$queryRawUnsafe("PRAGMA foreign_keys = ON");
  await prisma.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  await prisma.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  return {
    prisma,
    ping: async () => {
      await prisma.$queryRawUnsafe("SELECT 1");
    },
    close: () => prisma.$disconnect(),
  };
}
