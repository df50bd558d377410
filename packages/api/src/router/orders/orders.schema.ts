import { z } from "zod";
import { envelopeSchema } from "../../envelope.ts";
import { cursorSchema, limitSchema, pageSchema } from "../../pagination.ts";

/** The status machine of docs/contract.md; transitions.ts is the only writer of `status`. */
export const ORDER_STATUSES = ["pending_payment", "paid", "payment_failed", "shipped", "delivered", "cancelled"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const PAYMENT_STATUSES = ["pending", "succeeded", "failed", "refund_pending", "refunded"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

const cents = z.number().int().min(0);

export const orderSchema = z.object({
  id: z.uuid(),
  buyer: z.object({ user_id: z.string(), username: z.string() }),
  seller: z.object({ user_id: z.string(), store_name: z.string().nullable() }),
  items: z.array(
    z.object({
      product_id: z.string(),
      name: z.string().meta({ description: "The product's name at checkout." }),
      unit_price_cents: cents.meta({ description: "The price at checkout, in minor units." }),
      quantity: z.number().int().min(1),
      line_total_cents: cents,
    }).meta({ id: "OrderItem" }),
  ),
  total_cents: cents,
  currency: z.string().meta({ description: "ISO 4217, upper case." }),
  status: z.enum(ORDER_STATUSES),
  payment: z.object({
    provider: z.string(),
    charge_id: z.string().nullable(),
    status: z.enum(PAYMENT_STATUSES),
    events: z.array(z.string()).meta({ description: "Ids of the payment webhook events that changed this order, in the order received." }),
  }).meta({ id: "OrderPayment" }),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  history: z.array(
    z.object({ status: z.enum(ORDER_STATUSES), at: z.iso.datetime() })
      .meta({ id: "OrderEvent", description: "One status change in an order's history: the status it entered, and when." }),
  ),
}).meta({ id: "Order" });

export type Order = z.infer<typeof orderSchema>;

/** What orders.onChange pushes to the buyer and to the seller: the order after each status change. */
export const orderEventSchema = z.object({ type: z.literal("status_changed"), order: orderSchema });
export type OrderEvent = z.infer<typeof orderEventSchema>;

/** Any string: one that is not an order id is ORDER_NOT_FOUND, like another user's order. */
export const idInput = z.object({ id: z.string().meta({ description: "The order's id." }) });

export const listInput = z.object({
  status: z
    .enum(ORDER_STATUSES, { error: `Status must be one of: ${ORDER_STATUSES.join(", ")}.` })
    .meta({ description: "Only orders with this status." })
    .optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});

/** A cursor is the last order's position in the newest-first order: (created_at, id). */
export const cursorPosition = z.object({ created_at: z.iso.datetime(), id: z.string() });

export const listOutput = envelopeSchema(pageSchema(orderSchema));
export const orderOutput = envelopeSchema(orderSchema);
export const cancelledOutput = envelopeSchema(orderSchema, "Order cancelled.");
