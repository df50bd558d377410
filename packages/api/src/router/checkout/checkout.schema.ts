import { z } from "zod";
import { envelopeSchema } from "../../envelope.ts";
import { withoutNul } from "../../validation.ts";
import { orderSchema } from "../orders/orders.schema.ts";

export const checkoutInput = z.object({
  payment_method: withoutNul(z.string().min(1).max(255)).meta({
    description: "The payment method to charge. The built-in simulator knows pm_card_visa and pm_card_mastercard (succeed), " +
      "pm_card_chargeDeclined, pm_card_insufficientFunds and pm_card_expired (declined); any other is 400 INVALID_REQUEST.",
    example: "pm_card_visa",
  }),
});

export const checkoutOutput = envelopeSchema(z.object({ orders: z.array(orderSchema) }), "Order placed successfully.");
