import { randomUUID } from "node:crypto";
import type { Executor } from "@tessera/db";

/**
 * The audit log is append-only: this module only ever inserts, and nothing in the code base updates or
 * deletes an audit_entries row. Admin writes append inside their own transaction, so an action and its
 * entry commit (or roll back) together.
 */
export type AuditAction =
  | "login.succeeded"
  | "login.failed"
  | "admin.user.updated"
  | "admin.user.deleted"
  | "admin.superuser.created";

export const AUDIT_ACTIONS: readonly AuditAction[] = [
  "login.succeeded", "login.failed", "admin.user.updated", "admin.user.deleted", "admin.superuser.created",
];

export interface AuditEvent {
  actorId: string | null;
  action: AuditAction;
  targetId?: string | null;
  /** Stored as JSON text; callers must never put a password here. */
  details?: Record<string, unknown>;
}

/** Where a request came from; the CLI passes its own. */
export interface AuditOrigin {
  clientAddress: string;
  requestId: string;
}

/** Appends one entry, through `db` (the database, or the transaction of the action it records). */
export async function appendAudit(db: Executor, origin: AuditOrigin, event: AuditEvent): Promise<void> {
  await db
    .insertInto("audit_entries")
    .values({
      id: randomUUID(),
      at: new Date(),
      actor_id: event.actorId,
      action: event.action,
      target_id: event.targetId ?? null,
      // JSON.stringify writes U+0000 as an escape, so any text (even a NUL in a tried username) stores on PostgreSQL.
      details: JSON.stringify(event.details ?? {}),
      client_address: origin.clientAddress,
      request_id: origin.requestId,
    })
    .execute();
}
