import { setTimeout as sleep } from "node:timers/promises";
import { AppError } from "../../envelope.ts";
import type { Transaction } from "@tessera/db";
import { isWriteConflict } from "../../transactions.ts";
import type { Context } from "../../trpc.ts";

const MAX_ATTEMPTS = 8;

/**
 * Runs `work` in a SERIALIZABLE transaction, retried when the database aborts it for a conflict.
 *
 * Why: "never leave zero active admins" is a check over other rows than the one written. Two admins demoting
 * each other at once each see the other still active; under PostgreSQL's default READ COMMITTED both would
 * commit (write skew). SERIALIZABLE makes PostgreSQL abort one of them (40001, P2034); the retry then sees
 * the other's commit and answers LAST_ADMIN. SQLite is serializable by construction (one writer at a time;
 * Prisma's SQLite adapter accepts exactly this level), so the same code is correct on both databases.
 */
export async function serializable<T>(ctx: Context, work: (tx: Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.services.db.prisma.$transaction(work, { isolationLevel: "Serializable" });
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isWriteConflict(error)) throw error;
      // A little random backoff so that the contenders do not collide again in lockstep.
      await sleep(Math.random() * 10 * attempt);
    }
  }
}

interface RoleState {
  id: string;
  role: string;
  isActive: boolean;
}

const isActiveAdmin = (user: { role: string; isActive: boolean }) => user.role === "admin" && user.isActive;

/** Refuses a change that takes `before` out of the active admins when no other active admin remains. */
export async function keepAnActiveAdmin(tx: Transaction, before: RoleState, after: { role: string; isActive: boolean } | null) {
  if (!isActiveAdmin(before) || (after !== null && isActiveAdmin(after))) return;
  const others = await tx.user.count({ where: { role: "admin", isActive: true, id: { not: before.id } } });
  if (others === 0) {
    throw new AppError("LAST_ADMIN", "This is the last active admin: make another user an active admin first.");
  }
}
