import type { Executor } from "@tessera/db";
import { AppError } from "../../envelope.ts";

/**
 * A cart's lines are limited (CART_MAX_LINES): what a checkout does in one transaction grows with them. Checked
 * after a line is written (cart writes, which roll back) and before a checkout starts (a cart filled before the
 * limit existed): here once, for both.
 */
export async function checkLineLimit(db: Executor, userId: string, maxLines: number): Promise<void> {
  const { lines } = await db
    .selectFrom("cart_lines")
    .select((eb) => eb.fn.countAll<number>().as("lines"))
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
  if (Number(lines) > maxLines) {
    throw new AppError("QUOTA_EXCEEDED", `A cart holds at most ${maxLines} lines.`, {
      details: [{ path: "items", message: `The cart would hold ${Number(lines)} lines; at most ${maxLines} are allowed: remove some first.` }],
    });
  }
}
