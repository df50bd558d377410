import { AppError, success } from "../../envelope.ts";
import type { AuthedCall } from "../../trpc.ts";
import { toCurrentUser } from "../auth/users.ts";
import type { onboardInput } from "./seller.schema.ts";

/**
 * Makes a user a seller at once. The role check and the write are one conditional update, so two requests at
 * once cannot both succeed: the second finds the role already changed and answers ALREADY_SELLER.
 * Admins never get here (nonAdminProcedure answers them 403: they moderate but do not sell). A user whose role an
 * admin took away (`demoted_by`, issue 16 item 11) is refused with 403 FORBIDDEN until an admin gives a role back:
 * the same conditional update checks that, so a demotion landing meanwhile is not undone either.
 */
export async function onboard({ ctx, input }: AuthedCall<typeof onboardInput>) {
  const db = ctx.services.db.kysely;
  const user = await db
    .updateTable("users")
    .set({ role: "seller", store_name: input.store_name })
    .where("id", "=", ctx.auth.user.id)
    .where("role", "=", "user")
    .where("demoted_by", "is", null)
    .returningAll()
    .executeTakeFirst();
  if (!user) {
    const now = await db.selectFrom("users").select(["role", "demoted_by"]).where("id", "=", ctx.auth.user.id).executeTakeFirst();
    if (now?.role === "user" && now.demoted_by !== null) {
      throw new AppError("FORBIDDEN", "An administrator removed your seller role: only an administrator can give it back.");
    }
    throw new AppError("ALREADY_SELLER", "You are already a seller.");
  }
  return success({ ...toCurrentUser(user), store_name: input.store_name }, "You are now a seller.");
}
