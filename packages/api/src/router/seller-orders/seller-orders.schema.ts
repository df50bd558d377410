import { envelopeSchema } from "../../envelope.ts";
import { orderSchema } from "../orders/orders.schema.ts";

// A seller's orders are orders (router/orders/orders.schema.ts); only the answers to a seller's moves are their own.
export const shippedOutput = envelopeSchema(orderSchema, "Order shipped.");
export const deliveredOutput = envelopeSchema(orderSchema, "Order delivered.");
