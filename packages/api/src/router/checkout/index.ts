import { z } from "zod";
import { protectedProcedure, router } from "../../trpc.ts";
import { checkout } from "./checkout.handler.ts";
import { checkoutInput, checkoutOutput } from "./checkout.schema.ts";
import { MAX_KEY_LENGTH } from "./idempotency.ts";

export const checkoutRouter = router({
  place: protectedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/checkout",
        tags: ["checkout"],
        summary: "Place your cart's orders (one per seller) and pay for them",
        description:
          "Requires an Idempotency-Key header (also over tRPC). The first request with a key records its outcome, errors " +
          "included; a later request by the same user with that key and the same payment_method gets the recorded answer " +
          "again, without a second charge, whatever the cart holds by then; one with another payment_method is 409 " +
          "IDEMPOTENCY_KEY_REUSED. Concurrent requests with one key wait for the first one's outcome.",
        requestHeaders: z.object({
          "idempotency-key": z.string().min(1).max(MAX_KEY_LENGTH).meta({ description: `1–${MAX_KEY_LENGTH} characters, unique per checkout attempt.` }),
        }),
      },
      successStatus: 201,
      errors: [
        "IDEMPOTENCY_KEY_REQUIRED", "IDEMPOTENCY_KEY_REUSED", "CART_EMPTY", "INSUFFICIENT_STOCK", "CURRENCY_MISMATCH", "PAYMENT_DECLINED", "NOT_READY",
        "QUOTA_EXCEEDED",
      ],
    })
    .input(checkoutInput)
    .output(checkoutOutput)
    .mutation(checkout),
});
