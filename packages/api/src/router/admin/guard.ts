import type { Transaction } from "@tessera/db";
import { AppError } from "../../envelope.ts";

interface RoleState {
  id: string;
  role: string;
  is_active: boolean;
}

const isActiveAdmin = (user: { role: string; is_active: boolean }) => user.role === "admin" && user.is_active;

/**
 * Refuses a change that takes `before` out of the active admins when no other active admin remains.
 *
 * Run it, and the write it guards, in `db.transaction(work, { isolation: "serializable" })`. Why: "never leave
 * zero active admins" is a check over other rows than the one written. Two admins demoting each other at once
 * each see the other still active; under PostgreSQL's default READ COMMITTED both would commit (write skew).
 * SERIALIZABLE makes PostgreSQL abort one of them (40001); db.transaction runs it again, and the retry sees the
 * other's commit and answers LAST_ADMIN. SQLite is serializable by construction (one writer at a time), so the
 * same code is correct on both databases.
 */
export async function keepAnActiveAdmin(tx: Transaction, before: RoleState, after: { role: string; is_active: boolean } | null) {
  if (!isActiveAdmin(before) || (after !== null && isActiveAdmin(after))) return;
  const { others } = await tx
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("others"))
    .where("role", "=", "admin")
    .where("is_active", "=", true)
    .where("id", "!=", before.id)
    .executeTakeFirstOrThrow();
  if (Number(others) === 0) {
    throw new AppError("LAST_ADMIN", "This is the last active admin: make another user an active admin first.");
  }
}
