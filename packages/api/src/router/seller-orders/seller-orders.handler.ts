import { success } from "../../envelope.ts";
import type { AuthedCall } from "../../trpc.ts";
import { orderOf, readOrders, toOrder } from "../orders/order-rows.ts";
import { orderPage } from "../orders/order-page.ts";
import type { idInput, listInput, OrderStatus } from "../orders/orders.schema.ts";
import { announce, partyMove } from "../orders/transitions.ts";

/** The seller's side of orders: those for the caller's products, found by the order's seller_id. */

export const listSellerOrders = (call: AuthedCall<typeof listInput>) => orderPage(call, { seller_id: call.ctx.auth.user.id });

export async function getSellerOrder({ ctx, input }: AuthedCall<typeof idInput>) {
  return success(toOrder(await orderOf(ctx.services.db.kysely, input.id, { seller_id: ctx.auth.user.id })));
}

const sellerMove = (from: OrderStatus, to: OrderStatus, action: string, message: string) =>
  async ({ ctx, input }: AuthedCall<typeof idInput>) => {
    const order = await partyMove(ctx, { seller_id: ctx.auth.user.id }, input.id, from, to, action);
    await announce(ctx, [order.id]);
    const [after] = await readOrders(ctx.services.db.kysely, [order.id]);
    return success(after!, message);
  };

export const shipOrder = sellerMove("paid", "shipped", "shipped", "Order shipped.");
export const deliverOrder = sellerMove("shipped", "delivered", "delivered", "Order delivered.");
