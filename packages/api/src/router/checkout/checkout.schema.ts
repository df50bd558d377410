import { z } from "zod";
import { envelopeSchema } from "../../envelope.ts";
import { text } from "../../validation.ts";
import { orderSchema } from "../orders/orders.schema.ts";

export const checkoutInput = z.object({
  payment_method: text({ max: 255, notBlank: true, message: "payment_method must be 1–255 characters and not blank." }).meta({
    description: "The payment method to charge. The built-in simulator knows pm_card_visa and pm_card_mastercard (succeed), " +
      "pm_card_chargeDeclined, pm_card_insufficientFunds and pm_card_expired (declined); any other is 400 INVALID_REQUEST.",
    example: "pm_card_visa",
  }),
});

export const checkoutOutput = envelopeSchema(z.object({ orders: z.array(orderSchema) }), "Order placed successfully.");
