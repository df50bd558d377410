import type { z } from "zod";
import { AppError, success } from "../../envelope.ts";
import type { Context } from "../../trpc.ts";
import type { refreshInput } from "./auth.schema.ts";
import { issueTokens, revokeSession } from "./sessions.ts";

type RefreshInput = z.infer<typeof refreshInput>;

const invalidToken = () => new AppError("INVALID_TOKEN", "Invalid or expired refresh token.");

export async function refresh({ ctx, input }: { ctx: Context; input: RefreshInput }) {
  const tokenHash = ctx.services.tokens.hashRefreshToken(input.refresh_token);
  const stored = await ctx.services.db.kysely
    .selectFrom("refresh_tokens")
    .innerJoin("sessions", "sessions.id", "refresh_tokens.session_id")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["refresh_tokens.session_id", "refresh_tokens.used_at", "refresh_tokens.expires_at", "sessions.revoked_at", "sessions.user_id", "users.is_active"])
    .where("refresh_tokens.token_hash", "=", tokenHash)
    .executeTakeFirst();
  if (!stored || stored.revoked_at !== null || !stored.is_active) throw invalidToken();
  if (stored.used_at !== null) {
    // A refresh token works once: seeing it again means it was copied, so the whole login ends.
    await revokeSession(ctx, stored.session_id);
    throw invalidToken();
  }
  if (stored.expires_at.getTime() <= Date.now()) throw invalidToken();

  const pair = await ctx.services.db.transaction(async (tx) => {
    // The conditional update lets exactly one of two concurrent uses win.
    const claimed = await tx
      .updateTable("refresh_tokens")
      .set({ used_at: new Date() })
      .where("token_hash", "=", tokenHash)
      .where("used_at", "is", null)
      .executeTakeFirst();
    return claimed.numUpdatedRows === 1n ? issueTokens(ctx, tx, stored.user_id, stored.session_id) : null;
  });
  if (!pair) {
    await revokeSession(ctx, stored.session_id);
    throw invalidToken();
  }
  return success(pair, "Access token generated successfully.");
}
