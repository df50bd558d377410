import { PostgresDialect } from "kysely";
import pg from "pg";

const INT8 = 20;
const TIMESTAMP = 1114;

/**
 * How values come back from PostgreSQL: 64-bit integers (order totals) as numbers, not pg's default strings (the
 * contract's amounts are JSON numbers; the schema keeps them below 2^53), and `timestamp` columns, which hold UTC
 * without a zone, as that UTC instant (pg's default reads them in the process's local time zone).
 */
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8) return (text: string) => Number(text);
    if (oid === TIMESTAMP) return (text: string) => new Date(`${text.replace(" ", "T")}Z`);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** Dates go out as UTC ISO text (pg's default writes local time, which a `timestamp` column would keep as it is). */
const utcDates = (values: unknown[] | undefined) =>
  values?.some((value) => value instanceof Date) ? values.map((value) => (value instanceof Date ? value.toISOString() : value)) : values;

/** A pool whose clients send Dates as UTC; each client's wrapper is made once. */
function utcPool(pool: pg.Pool) {
  const wrapped = new WeakMap<pg.PoolClient, pg.PoolClient>();
  const wrap = (client: pg.PoolClient) => {
    let wrapper = wrapped.get(client);
    if (!wrapper) {
      const query = client.query.bind(client) as (text: unknown, values?: unknown[]) => unknown;
      wrapper = new Proxy(client, {
        get(target, property) {
          if (property === "query") return (text: unknown, values?: unknown[]) => query(text, utcDates(values));
          const value = Reflect.get(target, property, target) as unknown;
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      wrapped.set(client, wrapper);
    }
    return wrapper;
  };
  return {
    connect: async () => wrap(await pool.connect()),
    end: () => pool.end(),
  };
}

/**
 * The PostgreSQL dialect for a postgresql:// DATABASE_URL: a pool of at most `poolMax` connections. Idle
 * connections are released after 30 s, and a connection attempt gives up after 10 s instead of hanging a request.
 */
export function postgresDialect(url: string, poolMax: number, onIdleError: (error: Error) => void): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: poolMax, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000, types });
  // An idle connection that the server ends (a restart, pg_terminate_backend, idle_session_timeout) is an 'error'
  // event on the pool, which drops that connection and opens another when needed; unheard, it would end the process.
  pool.on("error", onIdleError);
  return { dialect: new PostgresDialect({ pool: utcPool(pool) }), pool };
}
