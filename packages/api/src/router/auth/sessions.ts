import { randomUUID } from "node:crypto";
import type { Executor } from "@tessera/db";
import type { Context } from "../../trpc.ts";
import type { TokenPair } from "./auth.schema.ts";

/** Adds a fresh refresh token to a session and signs a matching access token. */
export async function issueTokens(ctx: Context, tx: Executor, userId: string, sessionId: string): Promise<TokenPair> {
  const refresh = ctx.services.tokens.newRefreshToken();
  await tx
    .insertInto("refresh_tokens")
    .values({ token_hash: refresh.hash, session_id: sessionId, created_at: new Date(), expires_at: refresh.expiresAt })
    .execute();
  await tx.updateTable("sessions").set({ expires_at: refresh.expiresAt }).where("id", "=", sessionId).execute();
  return {
    access_token: ctx.services.tokens.signAccess({ userId, sessionId }),
    token_type: "Bearer",
    expires_in: ctx.services.tokens.accessTtlSeconds,
    refresh_token: refresh.token,
  };
}

/** Starts a login session for a user and returns its first token pair. */
export function startSession(ctx: Context, userId: string): Promise<TokenPair> {
  return ctx.services.db.transaction(async (tx) => {
    const sessionId = randomUUID();
    const now = new Date();
    await tx.insertInto("sessions").values({ id: sessionId, user_id: userId, created_at: now, expires_at: now }).execute();
    return issueTokens(ctx, tx, userId, sessionId);
  });
}

/** Ends a session: its access tokens and refresh tokens stop working at once. */
export async function revokeSession(ctx: Context, sessionId: string): Promise<void> {
  await ctx.services.db.kysely
    .updateTable("sessions")
    .set({ revoked_at: new Date() })
    .where("id", "=", sessionId)
    .where("revoked_at", "is", null)
    .execute();
}
