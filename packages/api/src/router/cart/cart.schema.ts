import { z } from "zod";
import { envelopeSchema } from "../../envelope.ts";
import { MAX_PRICE_CENTS } from "../products/products.schema.ts";

/** docs/contract.md: a line holds 1–99 units, also after merging an addition into it. */
export const MAX_QUANTITY = 99;

/**
 * The most lines a cart holds: as many as keep the subtotal (and so every order's total, a part of it) exact in a
 * JavaScript number whatever the prices, i.e. MAX_CART_LINES × MAX_QUANTITY × MAX_PRICE_CENTS < 2^53
 * (90 × 99 × 10^12 ≈ 8.9 × 10^15). Prices are read live, so the bound has to hold for any price a line may get.
 */
export const MAX_CART_LINES = Math.floor(Number.MAX_SAFE_INTEGER / (MAX_QUANTITY * MAX_PRICE_CENTS));

const productId = z.string().meta({ description: "The product's id; one that names no active product is PRODUCT_NOT_FOUND." });

const quantity = (min: 0 | 1) =>
  z.number()
    .int(`Quantity must be a whole number from ${min} to ${MAX_QUANTITY}.`)
    .min(min, `Quantity must be a whole number from ${min} to ${MAX_QUANTITY}.`)
    .max(MAX_QUANTITY, `Quantity must be a whole number from ${min} to ${MAX_QUANTITY}.`);

export const addInput = z.object({
  product_id: productId,
  quantity: quantity(1).meta({ description: `Units to add, 1–${MAX_QUANTITY}; the line's new quantity must stay within 1–${MAX_QUANTITY}.` }),
});

export const setInput = z.object({
  product_id: productId,
  quantity: quantity(0).meta({ description: `The line's quantity, 0–${MAX_QUANTITY}; 0 removes the line.` }),
});

export const productInput = z.object({ product_id: productId });

export const cartSchema = z.object({
  items: z.array(
    z.object({
      product_id: z.string(),
      name: z.string(),
      unit_price_cents: z.number().int().min(0).meta({ description: "The product's price now." }),
      quantity: z.number().int().min(1).max(MAX_QUANTITY),
      line_total_cents: z.number().int().min(0),
      available: z.boolean().meta({ description: "The product is active and its stock covers the quantity." }),
    }).meta({ id: "CartItem" }),
  ).meta({ description: `At most ${MAX_CART_LINES} lines.` }),
  subtotal_cents: z.number().int().min(0).meta({ description: "Sum of every line's total, available or not." }),
  currency: z.string().meta({ description: "The cart's one currency (ISO 4217); USD while the cart is empty." }),
}).meta({ id: "Cart" });

export type Cart = z.infer<typeof cartSchema>;

export const cartOutput = envelopeSchema(cartSchema);
export const addedOutput = envelopeSchema(cartSchema, "Item added to cart.");
export const updatedOutput = envelopeSchema(cartSchema, "Cart updated.");
export const removedOutput = envelopeSchema(cartSchema, "Item removed from cart.");
export const emptiedOutput = envelopeSchema(cartSchema, "Cart emptied.");
