import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";

/** A FIFO lock: `run` waits for every earlier holder to finish. */
function createLock() {
  let tail: Promise<void> = Promise.resolve();
  const acquire = (): Promise<() => void> => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const turn = tail.then(() => {
      let done = false;
      // Idempotent: commit and rollback may both try to release.
      return () => {
        if (!done) (done = true), release();
      };
    });
    tail = tail.then(() => released);
    return turn;
  };
  return {
    acquire,
    async run<T>(work: () => Promise<T>): Promise<T> {
      const release = await acquire();
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}

/** The transaction as Prisma sees it, releasing `release` when it ends either way. */
function releasingOnEnd(tx: Transaction, release: () => void): Transaction {
  const end = (finish: () => Promise<void>) => async () => {
    try {
      await finish();
    } finally {
      release();
    }
  };
  return {
    provider: tx.provider,
    adapterName: tx.adapterName,
    options: tx.options,
    queryRaw: (query) => tx.queryRaw(query),
    executeRaw: (query) => tx.executeRaw(query),
    commit: end(() => tx.commit()),
    rollback: end(() => tx.rollback()),
    ...(tx.createSavepoint && { createSavepoint: (name: string) => tx.createSavepoint!(name) }),
    ...(tx.rollbackToSavepoint && { rollbackToSavepoint: (name: string) => tx.rollbackToSavepoint!(name) }),
    ...(tx.releaseSavepoint && { releaseSavepoint: (name: string) => tx.releaseSavepoint!(name) }),
  };
}

function oneAtATimeAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const lock = createLock();
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => lock.run(() => adapter.queryRaw(query)),
    executeRaw: (query) => lock.run(() => adapter.executeRaw(query)),
    executeScript: (script) => lock.run(() => adapter.executeScript(script)),
    async startTransaction(isolationLevel) {
      const release = await lock.acquire();
      try {
        return releasingOnEnd(await adapter.startTransaction(isolationLevel), release);
      } catch (error) {
        release();
        throw error;
      }
    },
    ...(adapter.getConnectionInfo && { getConnectionInfo: () => adapter.getConnectionInfo!() }),
    dispose: () => adapter.dispose(),
  };
}

/**
 * SQLite through better-sqlite3 is ONE connection. Prisma's adapter queues interactive transactions behind a
 * mutex, but runs every other statement on that connection at once, so a statement issued while another
 * request's transaction is open runs inside it: a write is lost when that transaction rolls back, and a read
 * sees rows it has not committed. Here every statement outside a transaction waits for the open transaction to
 * end (and a transaction for the statements before it), so what commits is exactly what each caller wrote.
 * Inside a transaction, use its client (`tx`): the outer client would wait for the transaction itself.
 */
export function oneAtATime(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => oneAtATimeAdapter(await factory.connect()),
  };
}
