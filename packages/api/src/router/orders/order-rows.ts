import type { Prisma, Transaction } from "@tessera/db";
import { AppError } from "../../envelope.ts";
import type { Order, OrderStatus, PaymentStatus } from "./orders.schema.ts";

/** What an order is read with: its lines, its history and the webhook events that changed it, each in order. */
export const orderInclude = {
  items: { orderBy: { position: "asc" as const } },
  history: { orderBy: { id: "asc" as const } },
  events: { orderBy: [{ receivedAt: "asc" as const }, { id: "asc" as const }], select: { id: true as const } },
};

type Reader = Prisma | Transaction;
export type OrderRow = NonNullable<Awaited<ReturnType<typeof findOrderRow>>>;

const findOrderRow = (db: Reader, id: string) => db.order.findUnique({ where: { id }, include: orderInclude });

// Ids are what randomUUID() makes; anything else cannot be an order and is answered like a missing one.
const ORDER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isOrderId = (id: string) => ORDER_ID.test(id);

export const orderNotFound = () => new AppError("ORDER_NOT_FOUND", "Order not found.");

export function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    buyer: { user_id: row.buyerId, username: row.buyerUsername },
    seller: { user_id: row.sellerId, store_name: row.sellerStoreName },
    items: row.items.map((item) => ({
      product_id: item.productId,
      name: item.name,
      unit_price_cents: item.unitPriceCents,
      quantity: item.quantity,
      line_total_cents: item.unitPriceCents * item.quantity,
    })),
    total_cents: Number(row.totalCents),
    currency: row.currency,
    status: row.status as OrderStatus,
    payment: {
      provider: row.paymentProvider,
      charge_id: row.chargeId,
      status: row.paymentStatus as PaymentStatus,
      events: row.events.map((event) => event.id),
    },
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    history: row.history.map((entry) => ({ status: entry.status as OrderStatus, at: entry.at.toISOString() })),
  };
}

/** The orders with these ids, in this order. */
export async function readOrders(db: Reader, ids: string[]): Promise<Order[]> {
  const rows = await db.order.findMany({ where: { id: { in: ids } }, include: orderInclude });
  const byId = new Map(rows.map((row) => [row.id, toOrder(row)]));
  return ids.map((id) => byId.get(id)!);
}

/** The order, if `party` is its buyer or its seller; ORDER_NOT_FOUND otherwise (no existence leak). */
export async function orderOf(db: Reader, id: string, party: { buyerId: string } | { sellerId: string }): Promise<OrderRow> {
  if (!isOrderId(id)) throw orderNotFound();
  const row = await db.order.findFirst({ where: { id, ...party }, include: orderInclude });
  if (!row) throw orderNotFound();
  return row;
}
