import { formatDate } from "../../lib/dates.ts";
import { formatMoney } from "../../lib/money.ts";
import { OrderStatusBadge } from "./status.tsx";
import type { Order } from "./useOrders.ts";
import { TableBox } from "../../components/TableBox.tsx";

/** "2 × Tea pot, 1 × Cup" */
export const itemsSummary = (order: Order) => order.items.map((item) => `${item.quantity} × ${item.name}`).join(", ");

/** An order's lines as they were at checkout, and its total. */
export function OrderItems({ order }: { order: Order }) {
  return (
    <TableBox label="Items">
      <table className="list">
        <caption className="visually-hidden">Items</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Unit price</th>
            <th scope="col">Quantity</th>
            <th scope="col">Total</th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((item) => (
            <tr key={item.product_id}>
              <th scope="row">{item.name}</th>
              <td>{formatMoney(item.unit_price_cents, order.currency)}</td>
              <td>{item.quantity}</td>
              <td>{formatMoney(item.line_total_cents, order.currency)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>Total</th>
            <td className="subtotal">{formatMoney(order.total_cents, order.currency)}</td>
          </tr>
        </tfoot>
      </table>
    </TableBox>
  );
}

/** Every status the order went through, oldest first. */
export function OrderHistory({ order }: { order: Order }) {
  return (
    <ol className="history" aria-label="Status history">
      {order.history.map((step) => (
        <li key={`${step.status}-${step.at}`}><OrderStatusBadge status={step.status} /> {formatDate(step.at)}</li>
      ))}
    </ol>
  );
}
