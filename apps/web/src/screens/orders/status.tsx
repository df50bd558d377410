import { labelOf } from "../../forms/fields.tsx";

/** The order status machine of docs/contract.md, with labels for people. */
export const ORDER_STATUS_OPTIONS = [
  { value: "pending_payment", label: "Pending payment" },
  { value: "paid", label: "Paid" },
  { value: "payment_failed", label: "Payment failed" },
  { value: "shipped", label: "Shipped" },
  { value: "delivered", label: "Delivered" },
  { value: "cancelled", label: "Cancelled" },
] as const;

/** The list filters: any status, or one. */
export const STATUS_FILTER = [{ value: "", label: "Any" }, ...ORDER_STATUS_OPTIONS];

export type OrderStatus = (typeof ORDER_STATUS_OPTIONS)[number]["value"];

export function OrderStatusBadge({ status }: { status: string }) {
  return <span className={`badge order-${status}`}>{labelOf(ORDER_STATUS_OPTIONS, status)}</span>;
}
