import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresPrismaClient } from "./generated/postgresql/client.ts";
import { PrismaClient as SqlitePrismaClient } from "./generated/sqlite/client.ts";
import { applyMigrations } from "./migrate.ts";
import { oneAtATime } from "./sqlite-one-at-a-time.ts";
import { isPostgresUrl, sqliteFilePath } from "./url.ts";
import { watchWrites, type WriteWatch } from "./write-watch.ts";

/**
 * The one client type the code is written against, whatever the database. The two generated clients have
 * the same models but are not assignable to each other (PostgreSQL's filters accept more, e.g. `mode`), so
 * the SQLite client's type is the common one: every call it allows is valid on the PostgreSQL client too.
 */
export type Prisma = InstanceType<typeof SqlitePrismaClient>;
/** The client an interactive `$transaction` callback receives. */
export type Transaction = Parameters<Parameters<Prisma["$transaction"]>[0]>[0];

export interface Database extends WriteWatch {
  prisma: Prisma;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url: string;
  /** Apply pending migrations before connecting (the default). */
  migrate?: boolean;
  /** Most pooled connections to PostgreSQL (config.databasePoolMax); SQLite has one connection. */
  poolMax?: number;
}

/** The one place that picks a driver adapter for a DATABASE_URL. */
export async function createDatabase({ url, migrate = true, poolMax = 10 }: DatabaseOptions): Promise<Database> {
  if (migrate) await applyMigrations(url);
  const { prisma, watch } = isPostgresUrl(url) ? postgresClient(url, poolMax) : await sqliteClient(url);
  return {
    prisma,
    onWrite: watch.onWrite,
    ping: async () => {
      await prisma.$queryRawUnsafe("SELECT 1");
    },
    // Ends the adapter's pool (PostgreSQL) or closes the file (SQLite).
    close: () => prisma.$disconnect(),
  };
}

function postgresClient(url: string, poolMax: number): { prisma: Prisma; watch: WriteWatch } {
  // The adapter builds and owns a pg Pool from this config, and ends it on $disconnect. Idle connections are
  // released after 30 s, and a connection attempt gives up after 10 s instead of hanging a request forever.
  const { factory, watch } = watchWrites(
    new PrismaPg({ connectionString: url, max: poolMax, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000 }),
  );
  // Safe by the reasoning at `Prisma` above; this is the only place the two client types meet.
  return { prisma: new PostgresPrismaClient({ adapter: factory }) as unknown as Prisma, watch };
}

async function sqliteClient(url: string): Promise<{ prisma: Prisma; watch: WriteWatch }> {
  const { factory, watch } = watchWrites(oneAtATime(new PrismaBetterSqlite3({ url: sqliteFilePath(url) })));
  const prisma = new SqlitePrismaClient({ adapter: factory });
  // WAL lets readers run beside the writer; foreign keys are off by default in SQLite and the
  // schema's cascades depend on them; NORMAL sync in WAL mode survives a process crash.
  await prisma.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await prisma.$queryRawUnsafe("PRAGMA foreign_keys = ON");
  await prisma.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  await prisma.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  return { prisma, watch };
}
