import type { Executor, Tables } from "@tessera/db";
import type { Selectable } from "kysely";
import { AppError } from "../../envelope.ts";
import { groupBy } from "../../group.ts";
import { isUuid } from "../../ids.ts";
import type { Order, OrderStatus, PaymentStatus } from "./orders.schema.ts";

type ItemRow = Selectable<Tables["order_items"]>;

/** An orders row with what it is read with: its lines, its history and the webhook events that changed it, each in order. */
export type OrderRow = Selectable<Tables["orders"]> & {
  items: ItemRow[];
  history: { status: string; at: Date }[];
  events: string[];
};

/** Who may read an order: its buyer or its seller. */
export type Party = { buyer_id: string } | { seller_id: string };

export const orderNotFound = () => new AppError("ORDER_NOT_FOUND", "Order not found.");

export function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    buyer: { user_id: row.buyer_id, username: row.buyer_username },
    seller: { user_id: row.seller_id, store_name: row.seller_store_name },
    items: row.items.map((item) => ({
      product_id: item.product_id,
      name: item.name,
      unit_price_cents: item.unit_price_cents,
      quantity: item.quantity,
      line_total_cents: item.unit_price_cents * item.quantity,
    })),
    total_cents: row.total_cents,
    currency: row.currency,
    status: row.status as OrderStatus,
    payment: {
      provider: row.payment_provider,
      charge_id: row.charge_id,
      status: row.payment_status as PaymentStatus,
      events: row.events,
    },
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    history: row.history.map((entry) => ({ status: entry.status as OrderStatus, at: entry.at.toISOString() })),
  };
}

/** Adds each order's lines (by position), history (by id) and events (as received): one query each. */
export async function withParts(db: Executor, orders: Selectable<Tables["orders"]>[]): Promise<OrderRow[]> {
  if (orders.length === 0) return [];
  const ids = orders.map((order) => order.id);
  const items = await db.selectFrom("order_items").selectAll().where("order_id", "in", ids).orderBy("position").execute();
  const history = await db.selectFrom("order_history").select(["order_id", "status", "at"]).where("order_id", "in", ids).orderBy("id").execute();
  const events = await db
    .selectFrom("payment_events")
    .select(["order_id", "id"])
    .where("order_id", "in", ids)
    .orderBy("received_at")
    .orderBy("id")
    .execute();
  const itemsOf = groupBy(items, (item) => item.order_id, (item) => item);
  const historyOf = groupBy(history, (entry) => entry.order_id, (entry) => ({ status: entry.status, at: entry.at }));
  const eventsOf = groupBy(events, (event) => event.order_id!, (event) => event.id);
  return orders.map((order) => ({
    ...order,
    items: itemsOf.get(order.id) ?? [],
    history: historyOf.get(order.id) ?? [],
    events: eventsOf.get(order.id) ?? [],
  }));
}

/** The orders with these ids, in this order. */
export async function readOrders(db: Executor, ids: string[]): Promise<Order[]> {
  if (ids.length === 0) return [];
  const rows = await withParts(db, await db.selectFrom("orders").selectAll().where("id", "in", ids).execute());
  const byId = new Map(rows.map((row) => [row.id, toOrder(row)]));
  return ids.map((id) => byId.get(id)!);
}

/** The order, if `party` is its buyer or its seller; ORDER_NOT_FOUND otherwise (no existence leak). */
export async function orderOf(db: Executor, id: string, party: Party): Promise<OrderRow> {
  // A malformed id (not a UUID) cannot be an order and is answered like a missing one.
  if (!isUuid(id)) throw orderNotFound();
  const order = await db.selectFrom("orders").selectAll().where("id", "=", id).where((eb) => eb.and(party)).executeTakeFirst();
  if (!order) throw orderNotFound();
  return (await withParts(db, [order]))[0]!;
}
