import { success } from "../../envelope.ts";
import type { AuthedCall as Call } from "../../trpc.ts";
import type { checkoutInput } from "./checkout.schema.ts";
import { idempotencyKeyOf, oncePerKey } from "./idempotency.ts";
import { placeOrders } from "./place-orders.ts";

/** POST /api/checkout: the Idempotency-Key is checked first, then the whole checkout runs once per key. */
export async function checkout({ ctx, input }: Call<typeof checkoutInput>) {
  const key = idempotencyKeyOf(ctx.request);
  return oncePerKey(ctx, key, input.payment_method, 201, async () =>
    success({ orders: await placeOrders(ctx, input.payment_method) }, "Order placed successfully."));
}
