import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from "kysely";

/** Statements that may change rows; anything else (SELECT, PRAGMA, BEGIN, …) cannot. */
const WRITE = /\b(?:insert|update|delete|replace|merge|truncate|alter|drop)\b/i;

export interface WriteWatch {
  /**
   * Calls `listener` whenever rows of one of `tables` may have changed: right after a write statement that
   * names one of them completes outside a transaction, and right after the commit or rollback of a transaction
   * that ran one. Returns the unsubscribe function.
   */
  onWrite(tables: readonly string[], listener: () => void): () => void;
}

interface Listener {
  mentions: RegExp;
  listener: () => void;
}

/** A connection as the watch hands it to Kysely: the driver's own, plus the listeners its open transaction owes. */
interface WatchedConnection extends DatabaseConnection {
  inner: DatabaseConnection;
  /** Set while a transaction is open on the connection. */
  pending: Set<Listener> | undefined;
}

/**
 * Wraps a Kysely dialect so that every statement sent passes by the watch: builder queries, raw SQL, and writes in
 * transactions (told after their commit or rollback, when others can see them or they are undone). It reads the
 * SQL text, so cascades started by a write to a watched table count. Over-reporting is harmless (a statement that
 * only names a table in passing counts as a write to it); missing a write is not.
 */
export function watchWrites(dialect: Dialect): { dialect: Dialect; watch: WriteWatch } {
  const listeners = new Set<Listener>();
  const concerned = (sql: string): Listener[] => {
    if (listeners.size === 0 || !WRITE.test(sql)) return [];
    return [...listeners].filter(({ mentions }) => mentions.test(sql));
  };
  const tell = (toTell: Iterable<Listener>) => {
    for (const { listener } of toTell) listener();
  };

  const wrappers = new WeakMap<DatabaseConnection, WatchedConnection>();
  const wrap = (inner: DatabaseConnection): WatchedConnection => {
    let connection = wrappers.get(inner);
    if (connection) return connection;
    connection = {
      inner,
      pending: undefined,
      async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
        const toTell = concerned(query.sql);
        const pending = connection!.pending;
        if (pending) {
          for (const listener of toTell) pending.add(listener);
          return inner.executeQuery<R>(query);
        }
        try {
          return await inner.executeQuery<R>(query);
        } finally {
          tell(toTell);
        }
      },
      streamQuery: <R>(query: CompiledQuery, chunkSize?: number) => inner.streamQuery<R>(query, chunkSize),
    };
    wrappers.set(inner, connection);
    return connection;
  };

  const watchDriver = (driver: Driver): Driver => {
    /** Commit or rollback: what makes the transaction's writes visible to others, or takes them back. */
    const end = async (connection: WatchedConnection, finish: () => Promise<void>) => {
      const pending = connection.pending ?? new Set<Listener>();
      connection.pending = undefined;
      try {
        await finish();
      } finally {
        tell(pending);
      }
    };
    return {
      init: () => driver.init(),
      acquireConnection: async () => wrap(await driver.acquireConnection()),
      async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
        const watched = connection as WatchedConnection;
        await driver.beginTransaction(watched.inner, settings);
        watched.pending = new Set();
      },
      commitTransaction: (connection: DatabaseConnection) =>
        end(connection as WatchedConnection, () => driver.commitTransaction((connection as WatchedConnection).inner)),
      rollbackTransaction: (connection: DatabaseConnection) =>
        end(connection as WatchedConnection, () => driver.rollbackTransaction((connection as WatchedConnection).inner)),
      savepoint: driver.savepoint && ((connection, name, compile) => driver.savepoint!((connection as WatchedConnection).inner, name, compile)),
      rollbackToSavepoint:
        driver.rollbackToSavepoint && ((connection, name, compile) => driver.rollbackToSavepoint!((connection as WatchedConnection).inner, name, compile)),
      releaseSavepoint:
        driver.releaseSavepoint && ((connection, name, compile) => driver.releaseSavepoint!((connection as WatchedConnection).inner, name, compile)),
      releaseConnection: (connection: DatabaseConnection) => driver.releaseConnection((connection as WatchedConnection).inner),
      destroy: () => driver.destroy(),
    };
  };

  return {
    dialect: {
      createAdapter: () => dialect.createAdapter(),
      createDriver: () => watchDriver(dialect.createDriver()),
      createQueryCompiler: () => dialect.createQueryCompiler(),
      createIntrospector: (db) => dialect.createIntrospector(db),
    },
    watch: {
      onWrite(tables, listener) {
        const entry = { mentions: new RegExp(`\\b(?:${tables.join("|")})\\b`, "i"), listener };
        listeners.add(entry);
        return () => listeners.delete(entry);
      },
    },
  };
}
