import { AppError, success } from "../../envelope.ts";
import type { AuthedCall as Call } from "../../trpc.ts";
import { toCurrentUser } from "../auth/users.ts";
import type { onboardInput } from "./seller.schema.ts";

/**
 * Makes a user a seller at once. The role check and the write are one conditional update, so two requests at
 * once cannot both succeed: the second finds the role already changed and answers ALREADY_SELLER.
 * Admins never get here (nonAdminProcedure answers them 403: they moderate but do not sell).
 */
export async function onboard({ ctx, input }: Call<typeof onboardInput>) {
  const user = await ctx.services.db.kysely
    .updateTable("users")
    .set({ role: "seller", store_name: input.store_name })
    .where("id", "=", ctx.auth.user.id)
    .where("role", "=", "user")
    .returningAll()
    .executeTakeFirst();
  if (!user) throw new AppError("ALREADY_SELLER", "You are already a seller.");
  return success({ ...toCurrentUser(user), store_name: input.store_name }, "You are now a seller.");
}
