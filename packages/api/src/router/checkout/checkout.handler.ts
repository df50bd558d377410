import { success } from "../../envelope.ts";
import type { AuthedCall } from "../../trpc.ts";
import type { checkoutInput } from "./checkout.schema.ts";
import { idempotencyKeyOf, oncePerKey } from "./idempotency.ts";
import { placeOrders } from "./place-orders.ts";
import { settleKey } from "./reconcile.ts";

/**
 * POST /api/checkout: the Idempotency-Key is checked first, then the whole checkout runs once per key. A request
 * that finds its key unsettled past the settle deadline (its first request's process died) settles it itself,
 * as reconciliation would, and answers with the outcome instead of waiting on.
 */
export async function checkout({ ctx, input }: AuthedCall<typeof checkoutInput>) {
  const key = idempotencyKeyOf(ctx.request);
  const stale = { afterMs: ctx.services.paymentSettings.settleDeadlineSeconds * 1000, settle: (record: Parameters<typeof settleKey>[1]) => settleKey(ctx.services, record) };
  return oncePerKey(ctx, key, input.payment_method, 201, async () =>
    success({ orders: await placeOrders(ctx, input.payment_method, key) }, "Order placed successfully."), { stale });
}
