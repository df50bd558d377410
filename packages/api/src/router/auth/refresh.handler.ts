import type { z } from "zod";
import { AppError, success } from "../../envelope.ts";
import type { Context } from "../../trpc.ts";
import type { refreshInput } from "./auth.schema.ts";
import { issueTokens, revokeSession } from "./sessions.ts";

type RefreshInput = z.infer<typeof refreshInput>;

const invalidToken = () => new AppError("INVALID_TOKEN", "Invalid or expired refresh token.");

export async function refresh({ ctx, input }: { ctx: Context; input: RefreshInput }) {
  const tokenHash = ctx.services.tokens.hashRefreshToken(input.refresh_token);
  const stored = await ctx.services.db.prisma.refreshToken.findUnique({
    where: { tokenHash },
    include: { session: { include: { user: { select: { isActive: true } } } } },
  });
  if (!stored || stored.session.revokedAt !== null || !stored.session.user.isActive) throw invalidToken();
  if (stored.usedAt !== null) {
    // A refresh token works once: seeing it again means it was copied, so the whole login ends.
    await revokeSession(ctx, stored.sessionId);
    throw invalidToken();
  }
  if (stored.expiresAt.getTime() <= Date.now()) throw invalidToken();

  const { userId } = stored.session;
  const pair = await ctx.services.db.prisma.$transaction(async (tx) => {
    // The conditional update lets exactly one of two concurrent uses win.
    const claimed = await tx.refreshToken.updateMany({ where: { tokenHash, usedAt: null }, data: { usedAt: new Date() } });
    return claimed.count === 1 ? issueTokens(ctx, tx, userId, stored.sessionId) : null;
  });
  if (!pair) {
    await revokeSession(ctx, stored.sessionId);
    throw invalidToken();
  }
  return success(pair, "Access token generated successfully.");
}
