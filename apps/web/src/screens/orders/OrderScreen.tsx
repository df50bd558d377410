import { Link, useParams } from "react-router";
import { LiveIndicator } from "../../components/live.tsx";
import { QueryError } from "../../components/QueryError.tsx";
import { formatDate } from "../../lib/dates.ts";
import { OrderHistory, OrderItems } from "./OrderItems.tsx";
import { OrderStatusBadge } from "./status.tsx";
import { shortId, useCancelOrder, useLiveOrders, useOrder } from "./useOrders.ts";

/** One of the buyer's orders: its lines, its status (live) and history; a paid order can be cancelled. */
export function OrderScreen() {
  const { orderId = "" } = useParams();
  const order = useOrder(orderId);
  const live = useLiveOrders();
  const cancel = useCancelOrder();

  const onCancel = () => {
    if (window.confirm("Cancel this order? The payment is refunded.")) cancel.mutate({ id: orderId });
  };

  return (
    <section aria-labelledby="order-title">
      <p><Link to="/orders">← All orders</Link></p>
      <div className="screen-head">
        <h1 id="order-title">Order {shortId(orderId)}</h1>
        <LiveIndicator {...live} />
      </div>
      <QueryError error={order.error ?? cancel.error} />
      {order.isPending && <p role="status">Loading the order…</p>}
      {order.data && (
        <div className="columns">
          <div className="main-column">
            <OrderItems order={order.data} />
          </div>
          <aside className="side-column panel">
            <p>Status: <span aria-live="polite" className="order-status"><OrderStatusBadge status={order.data.status} /></span></p>
            <p>Store: {order.data.seller.store_name ?? "—"}</p>
            <p>Placed: {formatDate(order.data.created_at)}</p>
            <p>Payment: {order.data.payment.status} <small className="description">{order.data.payment.charge_id ?? ""}</small></p>
            <h2>History</h2>
            <OrderHistory order={order.data} />
            {order.data.status === "paid" && (
              <button type="button" className="danger" disabled={cancel.isPending} onClick={onCancel}>Cancel order</button>
            )}
          </aside>
        </div>
      )}
    </section>
  );
}
