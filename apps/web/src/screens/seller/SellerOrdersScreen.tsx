import { ACTIONS, ListTable } from "../../components/ListTable.tsx";
import { useState } from "react";
import { Link } from "react-router";
import { LiveIndicator } from "../../components/live.tsx";
import { Pager, useCursorPages } from "../../components/paging.tsx";
import { SelectField } from "../../forms/fields.tsx";
import { formatDate } from "../../lib/dates.ts";
import { formatMoney } from "../../lib/money.ts";
import { itemsSummary } from "../orders/OrderItems.tsx";
import { OrderStatusBadge, type OrderStatus, STATUS_FILTER } from "../orders/status.tsx";
import { type Order, shortId, useLiveOrders } from "../orders/useOrders.ts";
import { useOrderMoves, useSellerOrders } from "./useSeller.ts";

const PAGE_SIZE = 20;

/** Orders for the seller's products, live, with the next step of each: Ship a paid one, Deliver a shipped one. */
export function SellerOrdersScreen() {
  const [status, setStatus] = useState("");
  const query = { status: (status || undefined) as OrderStatus | undefined };
  const pages = useCursorPages(JSON.stringify(query));
  const list = useSellerOrders({ ...query, limit: PAGE_SIZE, cursor: pages.cursor });
  const live = useLiveOrders();
  const { ship, deliver } = useOrderMoves();
  const [notice, setNotice] = useState<string | null>(null);

  const move = (order: Order, action: typeof ship, done: string) => {
    setNotice(null);
    ship.reset();
    deliver.reset();
    action.mutate({ id: order.id }, { onSuccess: () => setNotice(`Order ${shortId(order.id)} ${done}.`) });
  };

  return (
    <section aria-labelledby="seller-orders-title">
      <p><Link to="/seller">← Your store</Link></p>
      <div className="screen-head">
        <h1 id="seller-orders-title">Orders for your products</h1>
        <LiveIndicator {...live} />
      </div>
      <form className="filters" role="search" aria-label="Filter orders" onSubmit={(event) => event.preventDefault()}>
        <SelectField label="Status filter" name="status" options={STATUS_FILTER} value={status} onChange={(event) => setStatus(event.target.value)} />
      </form>
      {notice && <p role="status" className="notice">{notice}</p>}
      <ListTable
        label="Orders for your products" list={list} error={ship.error ?? deliver.error} loading="Loading orders…"
        empty={<p className="empty">No orders {status ? "with this status" : "yet"}.</p>}
        columns={["Order", "Buyer", "Items", "Total", "Status", "Placed", ACTIONS]}
      >
        {(items) =>
            items.map((order) => (
                <tr key={order.id}>
                  <th scope="row">Order {shortId(order.id)}</th>
                  <td>{order.buyer.username}</td>
                  <td>{itemsSummary(order)}</td>
                  <td>{formatMoney(order.total_cents, order.currency)}</td>
                  <td><OrderStatusBadge status={order.status} /></td>
                  <td>{formatDate(order.created_at)}</td>
                  <td className="row-actions">
                    {order.status === "paid" && (
                      <button type="button" disabled={ship.isPending} aria-label={`Ship order ${shortId(order.id)}`} onClick={() => move(order, ship, "shipped")}>Ship</button>
                    )}
                    {order.status === "shipped" && (
                      <button type="button" disabled={deliver.isPending} aria-label={`Deliver order ${shortId(order.id)}`} onClick={() => move(order, deliver, "delivered")}>Deliver</button>
                    )}
                  </td>
                </tr>
            ))
        }
      </ListTable>
      <Pager what="orders" pages={pages} nextCursor={list.data?.next_cursor} />
    </section>
  );
}
