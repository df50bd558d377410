import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";

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

/**
 * Wraps a driver adapter factory so that every statement Prisma sends passes by the watch: nested writes,
 * cascades started by a write to a watched table, and raw SQL included. Over-reporting is harmless (a
 * statement that only names a table in passing counts as a write to it); missing a write is not.
 */
export function watchWrites(factory: SqlDriverAdapterFactory): { factory: SqlDriverAdapterFactory; watch: WriteWatch } {
  const listeners = new Set<Listener>();
  /** The listeners a statement concerns (none for a read). */
  const concerned = (query: SqlQuery): Listener[] => {
    if (listeners.size === 0 || !WRITE.test(query.sql)) return [];
    return [...listeners].filter(({ mentions }) => mentions.test(query.sql));
  };
  const tell = (toTell: Iterable<Listener>) => {
    for (const { listener } of toTell) listener();
  };

  /** Outside a transaction: after the statement, whatever its outcome. */
  const direct = <R>(run: (query: SqlQuery) => Promise<R>) => async (query: SqlQuery): Promise<R> => {
    const toTell = concerned(query);
    try {
      return await run(query);
    } finally {
      tell(toTell);
    }
  };

  const watchTransaction = (transaction: Transaction): Transaction => {
    const pending = new Set<Listener>();
    const inside = <R>(run: (query: SqlQuery) => Promise<R>) => (query: SqlQuery): Promise<R> => {
      for (const listener of concerned(query)) pending.add(listener);
      return run(query);
    };
    /** The commit (or rollback) is what makes a change visible to others, or takes it back. */
    const end = (run: () => Promise<void>) => async () => {
      try {
        await run();
      } finally {
        tell(pending);
      }
    };
    return delegate(transaction, {
      queryRaw: inside(transaction.queryRaw.bind(transaction)),
      executeRaw: inside(transaction.executeRaw.bind(transaction)),
      commit: end(transaction.commit.bind(transaction)),
      rollback: end(transaction.rollback.bind(transaction)),
    });
  };

  const watchAdapter = (adapter: SqlDriverAdapter): SqlDriverAdapter =>
    delegate(adapter, {
      queryRaw: direct(adapter.queryRaw.bind(adapter)),
      executeRaw: direct(adapter.executeRaw.bind(adapter)),
      startTransaction: async (isolationLevel) => watchTransaction(await adapter.startTransaction(isolationLevel)),
    });

  return {
    factory: delegate(factory, { connect: async () => watchAdapter(await factory.connect()) }),
    watch: {
      onWrite(tables, listener) {
        const entry = { mentions: new RegExp(`\\b(?:${tables.join("|")})\\b`, "i"), listener };
        listeners.add(entry);
        return () => listeners.delete(entry);
      },
    },
  };
}

/**
 * `target` with some methods replaced; everything else (properties, other and future methods) still reaches
 * `target` itself, bound to it, since adapters keep private fields that only their own `this` can read.
 */
function delegate<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof T];
      const value = Reflect.get(object, property, object) as unknown;
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}
