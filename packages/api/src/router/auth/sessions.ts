import { randomUUID } from "node:crypto";
import type { Prisma, Transaction } from "@tessera/db";
import type { Context } from "../../trpc.ts";

export interface TokenPairData {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
}

/** Adds a fresh refresh token to a session and signs a matching access token. */
export async function issueTokens(ctx: Context, tx: Transaction | Prisma, userId: string, sessionId: string): Promise<TokenPairData> {
  const refresh = ctx.services.tokens.newRefreshToken();
  await tx.refreshToken.create({ data: { tokenHash: refresh.hash, sessionId, expiresAt: refresh.expiresAt } });
  await tx.session.update({ where: { id: sessionId }, data: { expiresAt: refresh.expiresAt } });
  return {
    access_token: ctx.services.tokens.signAccess({ userId, sessionId }),
    token_type: "Bearer",
    expires_in: ctx.services.tokens.accessTtlSeconds,
    refresh_token: refresh.token,
  };
}

/** Starts a login session for a user and returns its first token pair. */
export function startSession(ctx: Context, userId: string): Promise<TokenPairData> {
  return ctx.services.db.prisma.$transaction(async (tx) => {
    const sessionId = randomUUID();
    await tx.session.create({ data: { id: sessionId, userId, expiresAt: new Date() } });
    return issueTokens(ctx, tx, userId, sessionId);
  });
}

/** Ends a session: its access tokens and refresh tokens stop working at once. */
export async function revokeSession(ctx: Context, sessionId: string): Promise<void> {
  await ctx.services.db.prisma.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}
