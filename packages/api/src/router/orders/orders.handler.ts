import { success } from "../../envelope.ts";
import { type AuthedCall, type AuthedContext, streamCaller } from "../../trpc.ts";
import { orderOf, type OrderRow, readOrders, toOrder } from "./order-rows.ts";
import { orderPage } from "./order-page.ts";
import type { idInput, listInput, OrderEvent } from "./orders.schema.ts";
import { announce, partyMove } from "./transitions.ts";

/** The buyer's side of orders: those they placed. The seller's side is router/seller-orders. */

export const listOwnOrders = (call: AuthedCall<typeof listInput>) => orderPage(call, { buyer_id: call.ctx.auth.user.id });

export async function getOwnOrder({ ctx, input }: AuthedCall<typeof idInput>) {
  return success(toOrder(await orderOf(ctx.services.db.kysely, input.id, { buyer_id: ctx.auth.user.id })));
}

/**
 * The buyer cancels a paid order: it becomes `cancelled` and its units go back to stock in one transaction (the
 * conditional move: of a cancel and a concurrent ship, one wins), then the charge is refunded. The provider refunds
 * once per key, so a retried refund never pays back twice; should it fail, the order says `refund_pending`.
 */
export async function cancelOwnOrder({ ctx, input }: AuthedCall<typeof idInput>) {
  const order = await partyMove(ctx, { buyer_id: ctx.auth.user.id }, input.id, "paid", "cancelled", "cancelled", { payment_status: "refund_pending" });
  await refund(ctx, order);
  await announce(ctx, [order.id]);
  const [cancelled] = await readOrders(ctx.services.db.kysely, [order.id]);
  return success(cancelled!, "Order cancelled.");
}

async function refund(ctx: AuthedContext, order: OrderRow) {
  try {
    await ctx.services.payments.refund({
      chargeId: order.charge_id!,
      orderId: order.id,
      amountCents: order.total_cents,
      currency: order.currency,
      idempotencyKey: `refund:${order.id}`,
    });
    await ctx.services.db.kysely.updateTable("orders").set({ payment_status: "refunded" }).where("id", "=", order.id).execute();
  } catch (error) {
    // The cancellation stands; the refund is owed and the order says so.
    ctx.services.logger.error({ err: error, orderId: order.id }, "refund failed; the order stays refund_pending");
  }
}

/**
 * orders.onChange: every status change of an order the caller bought or sells, from now on, until the client goes
 * away. No replay: a client that (re)connects refetches what it shows, then applies events.
 */
export async function* orderChanges({ ctx, signal }: { ctx: AuthedContext; signal: AbortSignal | undefined }): AsyncGenerator<OrderEvent, void> {
  // Within the live-stream limits, and ended with its session (services/live-streams.ts).
  const userId = ctx.auth.user.id;
  yield* ctx.services.liveStreams.serve(streamCaller(ctx), signal, (live, options) => ctx.services.orderEvents.subscribe(userId, live, options));
}
