import type { Tables } from "@tessera/db";
import type { Selectable } from "kysely";
import type { z } from "zod";
import { success } from "../../envelope.ts";
import { decodeCursor, toPage } from "../../pagination.ts";
import type { Context } from "../../trpc.ts";
import { auditCursor, type listAuditInput } from "./admin.schema.ts";

type AuditRow = Selectable<Tables["audit_entries"]>;

const toAuditEntry = (row: AuditRow) => ({
  id: row.id,
  at: row.at.toISOString(),
  actor_id: row.actor_id,
  action: row.action,
  target_id: row.target_id,
  details: JSON.parse(row.details) as Record<string, unknown>,
  client_address: row.client_address,
  request_id: row.request_id,
});

/** Newest first, keyset on (at, id) descending: entries appended while paging never shift a page. */
export async function listAudit({ ctx, input }: { ctx: Context; input: z.infer<typeof listAuditInput> }) {
  const after = decodeCursor(input.cursor, auditCursor);
  let query = ctx.services.db.kysely.selectFrom("audit_entries").selectAll();
  if (input.action !== undefined) query = query.where("action", "=", input.action);
  if (input.actor_id !== undefined) query = query.where("actor_id", "=", input.actor_id);
  if (input.target_id !== undefined) query = query.where("target_id", "=", input.target_id);
  if (after) {
    const at = new Date(after.at);
    // (at, id) < (at0, id0), with a leading `at <= at0` so the database can seek into the index.
    query = query.where((eb) => eb.and([eb("at", "<=", at), eb.or([eb("at", "<", at), eb("id", "<", after.id)])]));
  }
  const rows = await query.orderBy("at", "desc").orderBy("id", "desc").limit(input.limit + 1).execute();
  return success(toPage(rows, input.limit, toAuditEntry, (row) => ({ at: row.at.toISOString(), id: row.id })));
}
