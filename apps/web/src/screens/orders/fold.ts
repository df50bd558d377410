import type { Order } from "@tessera/sdk";

/** A row of the order history: an order, or a run of failed payment attempts shown as one row. */
export type HistoryRow = { kind: "order"; order: Order } | { kind: "failed"; orders: Order[] };

/**
 * Each declined checkout attempt is an order of its own ("Payment failed"); trying a few cards leaves several in a
 * row. Consecutive ones (as listed, newest first) become one row, so they stay visible without crowding out the
 * orders that went through; a lone one stays an ordinary row.
 */
export function foldFailedAttempts(orders: readonly Order[]): HistoryRow[] {
  const rows: HistoryRow[] = [];
  for (const order of orders) {
    const last = rows.at(-1);
    if (order.status !== "payment_failed") rows.push({ kind: "order", order });
    else if (last?.kind === "failed") last.orders.push(order);
    else if (last?.kind === "order" && last.order.status === "payment_failed") rows[rows.length - 1] = { kind: "failed", orders: [last.order, order] };
    else rows.push({ kind: "order", order });
  }
  return rows;
}
