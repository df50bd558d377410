import { setTimeout as sleep } from "node:timers/promises";
import type { Transaction } from "@tessera/db";
import type { Context } from "./trpc.ts";

/**
 * The database aborted the transaction for a serialization failure or a deadlock: Prisma's P2034 when a
 * query fails, but a bare DriverAdapterError (kind TransactionWriteConflict) when the COMMIT itself does.
 */
export function isWriteConflict(error: unknown): boolean {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { kind?: unknown } };
  return code === "P2034" || cause?.kind === "TransactionWriteConflict";
}

const MAX_ATTEMPTS = 8;

/**
 * Runs `work` in a transaction (the database's default isolation), retried when the database aborts it for a
 * conflict (a deadlock on PostgreSQL). Waiting for a connection (PostgreSQL's pool) or for the one connection
 * (SQLite) may take a while when many checkouts arrive at once: Prisma's 2 s default would turn that queue into
 * errors, so a transaction may wait, and run, up to 30 s.
 */
export async function inTransaction<T>(ctx: Context, work: (tx: Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.services.db.prisma.$transaction(work, { maxWait: 30_000, timeout: 30_000 });
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isWriteConflict(error)) throw error;
      // A little random backoff so that the contenders do not collide again in lockstep.
      await sleep(Math.random() * 10 * attempt);
    }
  }
}
