import { setTimeout as sleep } from "node:timers/promises";
import { Kysely, sql } from "kysely";
import { isWriteConflict } from "./errors.ts";
import { applyMigrations } from "./migrate.ts";
import { postgresDialect } from "./postgres.ts";
import { sqliteDialect } from "./sqlite.ts";
import type { Executor, Tables, Transaction } from "./tables.ts";
import { isPostgresUrl } from "./url.ts";
import { watchWrites, type WriteWatch } from "./write-watch.ts";

export interface TransactionOptions {
  /**
   * `serializable` for work whose check reads other rows than the ones it writes (e.g. "never leave zero active
   * admins"): under PostgreSQL's default READ COMMITTED two such transactions could both commit (write skew);
   * SERIALIZABLE aborts one, and the retry sees the other's commit. SQLite is serializable by construction
   * (one writer at a time), so the same code is correct on both.
   */
  isolation?: "serializable";
}

export interface Database extends WriteWatch {
  /** The query builder (Kysely) over the tables of prisma/postgresql/schema.prisma, on either database. */
  kysely: Executor;
  /**
   * Runs `work` in one transaction, and runs it again (up to 8 times, after a short random pause) when the
   * database aborts it for a conflict: a serialization failure or deadlock on PostgreSQL. `work` may therefore run
   * more than once: keep side effects outside it. Inside, query through `tx` only.
   */
  transaction<T>(work: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  /** The connection pool's state now (PostgreSQL: connections open, idle, and requests waiting for one); SQLite has none. */
  poolStats(): { total: number; idle: number; waiting: number } | undefined;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url: string;
  /** Apply pending migrations before connecting (the default). */
  migrate?: boolean;
  /** Most pooled connections to PostgreSQL (config.databasePoolMax); SQLite has one connection. */
  poolMax?: number;
  /** Told when PostgreSQL ends an idle pooled connection (it is replaced when needed): for the logs. */
  onIdleError?: (error: Error) => void;
}

const MAX_ATTEMPTS = 8;

/** The one place that picks a driver for a DATABASE_URL. */
export async function createDatabase({ url, migrate = true, poolMax = 10, onIdleError = () => {} }: DatabaseOptions): Promise<Database> {
  if (migrate) await applyMigrations(url);
  const postgres = isPostgresUrl(url) ? postgresDialect(url, poolMax, onIdleError) : undefined;
  const { dialect, watch } = watchWrites(postgres ? postgres.dialect : sqliteDialect(url).dialect);
  const kysely = new Kysely<Tables>({ dialect });
  return {
    kysely,
    onWrite: watch.onWrite,
    async transaction(work, options = {}) {
      for (let attempt = 1; ; attempt++) {
        try {
          const transaction = kysely.transaction();
          return await (options.isolation ? transaction.setIsolationLevel(options.isolation) : transaction).execute(work);
        } catch (error) {
          if (attempt >= MAX_ATTEMPTS || !isWriteConflict(error)) throw error;
          // A little random backoff so that the contenders do not collide again in lockstep.
          await sleep(Math.random() * 10 * attempt);
        }
      }
    },
    ping: async () => {
      await sql`SELECT 1`.execute(kysely);
    },
    poolStats: () => postgres && { total: postgres.pool.totalCount, idle: postgres.pool.idleCount, waiting: postgres.pool.waitingCount },
    // Ends the pool (PostgreSQL) or closes the file (SQLite).
    close: () => kysely.destroy(),
  };
}
