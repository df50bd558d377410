-- Expired sessions and refresh tokens are deleted in bounded sweeps (packages/api/src/services/session-purge.ts);
-- each sweep finds the oldest by these indexes instead of scanning the tables.
-- (Written by hand: scripts/diff-migration.ts needs the Prisma driver adapters, which are no longer installed.)

-- CreateIndex
CREATE INDEX "sessions_expires_at_idx" ON "sessions"("expires_at");

-- CreateIndex
CREATE INDEX "refresh_tokens_expires_at_idx" ON "refresh_tokens"("expires_at");
