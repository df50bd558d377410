import type { Transaction } from "@tessera/db";
import { AppError } from "../../envelope.ts";
import type { Context } from "../../trpc.ts";
import type { OrderStatus, PaymentStatus } from "./orders.schema.ts";
import { type OrderRow, orderOf, type Party, readOrders } from "./order-rows.ts";

/** the contract's status machine: the only moves there are. */
const MOVES: Record<OrderStatus, readonly OrderStatus[]> = {
  pending_payment: ["paid", "payment_failed"],
  paid: ["shipped", "cancelled"],
  shipped: ["delivered"],
  payment_failed: [],
  delivered: [],
  cancelled: [],
};

/** Moves that give the order's units back to stock: the payment failed, or the order was refunded. */
const RESTOCKING = new Set<OrderStatus>(["payment_failed", "cancelled"]);

/** The payment columns a move may set beside the status. */
export interface PaymentChange {
  charge_id?: string;
  payment_status?: PaymentStatus;
}

/**
 * Moves an order from `from` to `to` inside the caller's transaction, if it is still in `from`: one conditional
 * UPDATE, so of two concurrent moves (a webhook and a cancel, two cancels) exactly one happens. Records the
 * history entry and restocks on the moves that release the units, in the same transaction. False when the order
 * was not in `from` (nothing changed).
 */
export async function move(tx: Transaction, orderId: string, from: OrderStatus, to: OrderStatus, at: Date, payment: PaymentChange = {}) {
  if (!MOVES[from].includes(to)) throw new Error(`no move from ${from} to ${to}`);
  const { numUpdatedRows } = await tx
    .updateTable("orders")
    .set({ status: to, updated_at: at, ...payment })
    .where("id", "=", orderId)
    .where("status", "=", from)
    .executeTakeFirst();
  if (numUpdatedRows === 0n) return false;
  await tx.insertInto("order_history").values({ order_id: orderId, status: to, at }).execute();
  if (RESTOCKING.has(to)) await restock(tx, orderId);
  return true;
}

const invalidState = (status: string, action: string) =>
  new AppError("INVALID_ORDER_STATE", `This order is ${status}: it cannot be ${action}.`);

/**
 * A move one party makes on its own order (the buyer cancels, the seller ships or delivers), in a transaction of
 * its own: ORDER_NOT_FOUND unless the order is `party`'s; INVALID_ORDER_STATE, naming the status it is in now,
 * unless it is still in `from` (of two concurrent moves, one wins). Answers the order as it was before the move.
 */
export async function partyMove(
  ctx: Context, party: Party, orderId: string, from: OrderStatus, to: OrderStatus, action: string, payment: PaymentChange = {},
): Promise<OrderRow> {
  const order = await orderOf(ctx.services.db.kysely, orderId, party);
  const moved = await ctx.services.db.transaction((tx) => move(tx, order.id, from, to, new Date(), payment));
  if (!moved) throw invalidState((await orderOf(ctx.services.db.kysely, order.id, party)).status, action);
  return order;
}

/** Gives an order's units back, product by product in id order (the order checkout takes its row locks in). */
async function restock(tx: Transaction, orderId: string) {
  const items = await tx.selectFrom("order_items").select(["product_id", "quantity"]).where("order_id", "=", orderId).orderBy("product_id").execute();
  for (const item of items) {
    // A product deleted meanwhile (its seller's account was) has nothing to give back to: the UPDATE finds no row.
    await tx.updateTable("products").set((eb) => ({ stock: eb("stock", "+", item.quantity) })).where("id", "=", item.product_id).execute();
  }
}

/** Tells the buyer and the seller of each order, after the change has committed, how the order now stands. */
export async function announce(ctx: Context, orderIds: string[]): Promise<void> {
  if (orderIds.length === 0) return;
  for (const order of await readOrders(ctx.services.db.kysely, orderIds)) {
    const event = { type: "status_changed" as const, order };
    await Promise.all([ctx.services.orderEvents.publish(order.buyer.user_id, event), ctx.services.orderEvents.publish(order.seller.user_id, event)]);
  }
}
