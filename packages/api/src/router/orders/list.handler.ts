import { success } from "../../envelope.ts";
import { decodeCursor, toPage } from "../../pagination.ts";
import type { AuthedCall as Call } from "../../trpc.ts";
import { orderInclude, type OrderRow, toOrder } from "./order-rows.ts";
import { cursorPosition, type listInput } from "./orders.schema.ts";

/**
 * One party's orders, newest first, ties broken by id (both descending), a page at a time. Keyset, never offset:
 * the cursor is the last order's (created_at, id), so orders placed between pages cannot shift what follows.
 */
async function listFor({ ctx, input }: Call<typeof listInput>, party: { buyerId: string } | { sellerId: string }) {
  const after = decodeCursor(input.cursor, cursorPosition);
  const at = after && new Date(after.created_at);
  const rows: OrderRow[] = await ctx.services.db.prisma.order.findMany({
    where: {
      ...party,
      ...(input.status && { status: input.status }),
      // (created_at, id) < (at, id0), written so that the database can seek into the (party, created_at, id) index.
      ...(after && { createdAt: { lte: at }, OR: [{ createdAt: { lt: at } }, { id: { lt: after.id } }] }),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    // One row past the page tells whether another page follows.
    take: input.limit + 1,
    include: orderInclude,
  });
  return success(toPage(rows, input.limit, toOrder, (row) => ({ created_at: row.createdAt.toISOString(), id: row.id })));
}

export const listOwnOrders = (call: Call<typeof listInput>) => listFor(call, { buyerId: call.ctx.auth.user.id });
export const listSellerOrders = (call: Call<typeof listInput>) => listFor(call, { sellerId: call.ctx.auth.user.id });
