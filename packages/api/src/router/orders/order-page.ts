import { success } from "../../envelope.ts";
import { boundedPage } from "../../bounded-page.ts";
import { decodeCursor } from "../../pagination.ts";
import type { AuthedCall } from "../../trpc.ts";
import { type Party, toOrder, withParts } from "./order-rows.ts";
import { cursorPosition, type listInput } from "./orders.schema.ts";

/**
 * One party's orders, newest first, ties broken by id (both descending), a page at a time. Keyset, never offset:
 * the cursor is the last order's (created_at, id), so orders placed between pages cannot shift what follows.
 * The buyer's list (orders.list) and the seller's (sellerOrders.list) are this, each for its own party.
 */
export async function orderPage({ ctx, input }: AuthedCall<typeof listInput>, party: Party) {
  const after = decodeCursor(input.cursor, cursorPosition);
  const db = ctx.services.db.kysely;
  let query = db.selectFrom("orders").selectAll().where((eb) => eb.and(party));
  if (input.status) query = query.where("status", "=", input.status);
  if (after) {
    const at = new Date(after.created_at);
    // (created_at, id) < (at, id0), written so that the database can seek into the (party, created_at, id) index.
    query = query.where((eb) => eb.and([eb("created_at", "<=", at), eb.or([eb("created_at", "<", at), eb("id", "<", after.id)])]));
  }
  // One row past the page tells whether another page follows.
  const orders = await query.orderBy("created_at", "desc").orderBy("id", "desc").limit(input.limit + 1).execute();
  const rows = await withParts(db, orders);
  // Orders carry their lines: a page also stops at PAGE_MAX_BYTES of JSON.
  return success(boundedPage(rows, input.limit, toOrder, (row) => ({ created_at: row.created_at.toISOString(), id: row.id })));
}
