import { AppError, success } from "../../envelope.ts";
import { type AuthedCall as Call, type AuthedContext as Authed, streamCaller } from "../../trpc.ts";
import { type OrderRow, orderOf, readOrders, toOrder } from "./order-rows.ts";
import type { idInput, OrderEvent, OrderStatus } from "./orders.schema.ts";
import { announce, move } from "./transitions.ts";

const invalidState = (status: string, action: string) =>
  new AppError("INVALID_ORDER_STATE", `This order is ${status}: it cannot be ${action}.`);

export async function getOwnOrder({ ctx, input }: Call<typeof idInput>) {
  return success(toOrder(await orderOf(ctx.services.db.kysely, input.id, { buyer_id: ctx.auth.user.id })));
}

export async function getSellerOrder({ ctx, input }: Call<typeof idInput>) {
  return success(toOrder(await orderOf(ctx.services.db.kysely, input.id, { seller_id: ctx.auth.user.id })));
}

/**
 * The buyer cancels a paid order: it becomes `cancelled` and its units go back to stock in one transaction (the
 * conditional move: of a cancel and a concurrent ship, one wins), then the charge is refunded. The provider refunds
 * once per key, so a retried refund never pays back twice; should it fail, the order says `refund_pending`.
 */
export async function cancelOwnOrder({ ctx, input }: Call<typeof idInput>) {
  const order = await orderOf(ctx.services.db.kysely, input.id, { buyer_id: ctx.auth.user.id });
  const moved = await ctx.services.db.transaction((tx) => move(tx, order.id, "paid", "cancelled", new Date(), { payment_status: "refund_pending" }));
  if (!moved) throw invalidState((await orderOf(ctx.services.db.kysely, order.id, { buyer_id: ctx.auth.user.id })).status, "cancelled");
  await refund(ctx, order);
  await announce(ctx, [order.id]);
  const [cancelled] = await readOrders(ctx.services.db.kysely, [order.id]);
  return success(cancelled!, "Order cancelled.");
}

async function refund(ctx: Authed, order: OrderRow) {
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

const sellerMove = (from: OrderStatus, to: OrderStatus, action: string, message: string) =>
  async ({ ctx, input }: Call<typeof idInput>) => {
    const order = await orderOf(ctx.services.db.kysely, input.id, { seller_id: ctx.auth.user.id });
    const moved = await ctx.services.db.transaction((tx) => move(tx, order.id, from, to, new Date()));
    if (!moved) throw invalidState((await orderOf(ctx.services.db.kysely, order.id, { seller_id: ctx.auth.user.id })).status, action);
    await announce(ctx, [order.id]);
    const [after] = await readOrders(ctx.services.db.kysely, [order.id]);
    return success(after!, message);
  };

export const shipOrder = sellerMove("paid", "shipped", "shipped", "Order shipped.");
export const deliverOrder = sellerMove("shipped", "delivered", "delivered", "Order delivered.");

/**
 * orders.onChange: every status change of an order the caller bought or sells, from now on, until the client goes
 * away. No replay: a client that (re)connects refetches what it shows, then applies events.
 */
export async function* orderChanges({ ctx, signal }: { ctx: Authed; signal: AbortSignal | undefined }): AsyncGenerator<OrderEvent, void> {
  // Within the live-stream limits, and ended with its session (services/live-streams.ts).
  const userId = ctx.auth.user.id;
  yield* ctx.services.liveStreams.serve(streamCaller(ctx), signal, (live, options) => ctx.services.orderEvents.subscribe(userId, live, options));
}
