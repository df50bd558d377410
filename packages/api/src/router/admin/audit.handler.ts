import type { z } from "zod";
import { success } from "../../envelope.ts";
import { decodeCursor, toPage } from "../../pagination.ts";
import type { Context } from "../../trpc.ts";
import { auditCursor, type listAuditInput } from "./admin.schema.ts";

type AuditRow = Awaited<ReturnType<Context["services"]["db"]["prisma"]["auditEntry"]["findUniqueOrThrow"]>>;

const toAuditEntry = (row: AuditRow) => ({
  id: row.id,
  at: row.at.toISOString(),
  actor_id: row.actorId,
  action: row.action,
  target_id: row.targetId,
  details: JSON.parse(row.details) as Record<string, unknown>,
  client_address: row.clientAddress,
  request_id: row.requestId,
});

/** Newest first, keyset on (at, id) descending: entries appended while paging never shift a page. */
export async function listAudit({ ctx, input }: { ctx: Context; input: z.infer<typeof listAuditInput> }) {
  const after = decodeCursor(input.cursor, auditCursor);
  const at = after && new Date(after.at);
  const rows = await ctx.services.db.prisma.auditEntry.findMany({
    where: {
      ...(input.action !== undefined && { action: input.action }),
      ...(input.actor_id !== undefined && { actorId: input.actor_id }),
      ...(input.target_id !== undefined && { targetId: input.target_id }),
      // (at, id) < (at0, id0), with a leading `at <= at0` so the database can seek into the index.
      ...(after && { AND: [{ at: { lte: at } }, { OR: [{ at: { lt: at } }, { id: { lt: after.id } }] }] }),
    },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: input.limit + 1,
  });
  return success(toPage(rows, input.limit, toAuditEntry, (row) => ({ at: row.at.toISOString(), id: row.id })));
}
