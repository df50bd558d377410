-- Administration: the append-only audit log of logins and admin actions.
-- Queries and the index each one uses:
--   GET /api/admin/audit (newest first, keyset on (at, id)) -> audit_entries_at_id_idx, scanned backwards
--   GET /api/admin/users (ordered by username_key)          -> users_username_key_key (the unique index)
-- No foreign keys on actor_id / target_id: an entry outlives the users it names.

-- CreateTable
CREATE TABLE "audit_entries" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL,
    "actor_id" TEXT,
    "action" TEXT NOT NULL,
    "target_id" TEXT,
    "details" TEXT NOT NULL DEFAULT '{}',
    "client_address" TEXT NOT NULL,
    "request_id" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "audit_entries_at_id_idx" ON "audit_entries"("at", "id");
