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
 * Run it, and the write it guards, in `db.transaction(work, { isolation: "serializable" })`: "never leave zero
 * active admins" is a check over other rows than the one written (two admins demoting each other at once), the
 * case TransactionOptions in @tessera/db describes. db.transaction runs the aborted one again, and that retry
 * sees the other's commit and answers LAST_ADMIN.
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
