import BetterSqlite3 from "better-sqlite3";
import { CompiledQuery, type DatabaseConnection, type Driver, SqliteDialect, type SqliteDatabase, type SqliteStatement } from "kysely";
import { sqliteFilePath } from "./url.ts";

/** Statements kept prepared (by SQL text). Kysely writes one text per query shape, so a few hundred cover the app. */
const MAX_STATEMENTS = 500;

/**
 * How a timestamp is stored in SQLite's DATETIME (text) columns: ISO 8601 in UTC with milliseconds and `+00:00`,
 * the format Prisma's SQLite adapter wrote before this data layer, so existing databases read and sort the same.
 * One format for every row matters: the columns are compared and ordered as text.
 */
export const sqliteTimestamp = (date: Date): string => `${date.toISOString().slice(0, -1)}+00:00`;

/** SQLite binds numbers, strings, bigints, buffers and null: Dates and booleans are written as the columns hold them. */
function bindable(value: unknown): unknown {
  if (value instanceof Date) return sqliteTimestamp(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

const needsBinding = (value: unknown) => value instanceof Date || typeof value === "boolean";

function bindAll(parameters: ReadonlyArray<unknown>): ReadonlyArray<unknown> {
  return parameters.some(needsBinding) ? parameters.map(bindable) : parameters;
}

type Row = Record<string, unknown>;
type Conversion = (value: unknown) => unknown;

const toDate: Conversion = (value) => (typeof value === "string" ? new Date(value) : value);
const toBoolean: Conversion = (value) => (typeof value === "number" || typeof value === "bigint" ? Boolean(value) : value);

/**
 * The result columns that need converting, from the types the schema declares (Prisma's migrations declare
 * DateTime columns DATETIME and Boolean columns BOOLEAN); computed expressions have no declared type and are
 * left as SQLite returns them.
 */
function conversionsOf(statement: BetterSqlite3.Statement): [string, Conversion][] {
  const conversions: [string, Conversion][] = [];
  for (const column of statement.columns()) {
    const type = column.type?.toUpperCase();
    if (type === "DATETIME") conversions.push([column.name, toDate]);
    else if (type === "BOOLEAN") conversions.push([column.name, toBoolean]);
  }
  return conversions;
}

function convertRows(rows: unknown[], conversions: [string, Conversion][]): unknown[] {
  for (const row of rows as Row[]) {
    for (const [name, convert] of conversions) row[name] = convert(row[name]);
  }
  return rows;
}

/** A prepared statement as Kysely's SQLite driver uses it, with the values mapped both ways. */
function statementOf(statement: BetterSqlite3.Statement): SqliteStatement {
  const conversions = statement.reader ? conversionsOf(statement) : [];
  return {
    reader: statement.reader,
    all: (parameters) => {
      const rows = statement.all(bindAll(parameters));
      return conversions.length === 0 ? rows : convertRows(rows, conversions);
    },
    run: (parameters) => statement.run(bindAll(parameters)),
    *iterate(parameters) {
      for (const row of statement.iterate(bindAll(parameters))) yield conversions.length === 0 ? row : convertRows([row], conversions)[0];
    },
  };
}

/**
 * better-sqlite3 behind Kysely, with prepared statements kept (least recently used out past MAX_STATEMENTS):
 * Kysely's own SQLite driver prepares every query again, which costs more than running it.
 */
function withStatementCache(database: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement) {
        statements.delete(sql); // re-inserted below: the Map's order is the recency order
      } else {
        statement = statementOf(database.prepare(sql));
        if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}

/**
 * Kysely's SQLite dialect, with transactions that take the write lock when they begin (BEGIN IMMEDIATE). In this
 * process one transaction runs at a time anyway; another process on the same file (a CLI beside the server) is what
 * this is for: a deferred transaction that has read, then writes after the other committed, fails with
 * SQLITE_BUSY_SNAPSHOT at once, while an immediate one waits (busy_timeout) for its turn.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    // Bound methods, not a prototype chain: the driver keeps private fields only its own `this` can read.
    return {
      init: () => driver.init(),
      acquireConnection: () => driver.acquireConnection(),
      beginTransaction: async (connection: DatabaseConnection) => {
        await connection.executeQuery(CompiledQuery.raw("begin immediate"));
      },
      commitTransaction: (connection) => driver.commitTransaction(connection),
      rollbackTransaction: (connection) => driver.rollbackTransaction(connection),
      savepoint: driver.savepoint?.bind(driver),
      rollbackToSavepoint: driver.rollbackToSavepoint?.bind(driver),
      releaseSavepoint: driver.releaseSavepoint?.bind(driver),
      releaseConnection: (connection) => driver.releaseConnection(connection),
      destroy: () => driver.destroy(),
    };
  }
}

/**
 * The SQLite dialect for a `file:` DATABASE_URL. SQLite is one connection: Kysely's driver lets one query or one
 * transaction use it at a time, so a statement issued while another caller's transaction is open waits for it to
 * end instead of running inside it (inside a transaction, use its `tx`: the outer database would wait for itself).
 */
export function sqliteDialect(url: string): { dialect: SqliteDialect; raw: BetterSqlite3.Database } {
  const raw = new BetterSqlite3(sqliteFilePath(url));
  // WAL lets readers of other processes run beside the writer; foreign keys are off by default in SQLite and the
  // schema's cascades depend on them; NORMAL sync in WAL mode survives a process crash.
  raw.pragma("journal_mode = WAL");
  raw.pragma("foreign_keys = ON");
  raw.pragma("busy_timeout = 5000");
  raw.pragma("synchronous = NORMAL");
  // 16 MiB of page cache instead of SQLite's 2 MiB default: with 1,000,000 rows the B-tree's interior pages plus a
  // working set of leaves no longer fit in 2 MiB, and every miss is a read() from the OS cache (bench, GET data with
  // 1,000,000 rows: 0.277 → 0.172 ms CPU per request). Pages are only allocated as they are used.
  raw.pragma("cache_size = -16384");
  return { dialect: new ImmediateSqliteDialect({ database: withStatementCache(raw) }), raw };
}
