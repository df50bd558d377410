import { ListTable } from "../../components/ListTable.tsx";
import { useState } from "react";
import { Link, useLocation } from "react-router";
import { LiveIndicator } from "../../components/live.tsx";
import { Pager, useCursorPages } from "../../components/paging.tsx";
import { SelectField } from "../../forms/fields.tsx";
import { formatDate } from "../../lib/dates.ts";
import { formatMoney } from "../../lib/money.ts";
import { itemsSummary } from "./OrderItems.tsx";
import { OrderStatusBadge, type OrderStatus, STATUS_FILTER } from "./status.tsx";
import { foldFailedAttempts, type HistoryRow } from "./fold.ts";
import { type Order, shortId, useLiveOrders, useOrderList } from "./useOrders.ts";

const PAGE_SIZE = 10;

/** The buyer's order history, newest first, with each order's status kept live. */
export function OrdersScreen() {
  const placed = (useLocation().state as { placed?: string } | null)?.placed;
  const [status, setStatus] = useState("");
  const query = { status: (status || undefined) as OrderStatus | undefined };
  const pages = useCursorPages(JSON.stringify(query));
  const list = useOrderList({ ...query, limit: PAGE_SIZE, cursor: pages.cursor });
  const live = useLiveOrders();
  // The default view folds runs of failed payment attempts; the "Payment failed" filter lists each one.
  const rows: HistoryRow[] = !list.data ? [] : status ? list.data.items.map((order) => ({ kind: "order", order })) : foldFailedAttempts(list.data.items);

  return (
    <section aria-labelledby="orders-title">
      <div className="screen-head">
        <h1 id="orders-title">Orders</h1>
        <LiveIndicator {...live} />
      </div>
      {placed && <p role="status" className="notice">{placed}</p>}
      <form className="filters" role="search" aria-label="Filter orders" onSubmit={(event) => event.preventDefault()}>
        <SelectField label="Status filter" name="status" options={STATUS_FILTER} value={status} onChange={(event) => setStatus(event.target.value)} />
      </form>
      <ListTable
        label="Your orders" list={list} loading="Loading your orders…"
        empty={<p className="empty">No orders {status ? "with this status" : "yet"}. <Link to="/shop">Browse the shop</Link></p>}
        columns={["Order", "Store", "Items", "Total", "Status", "Placed"]}
      >
        {() =>
          rows.map((row) =>
            row.kind === "order" ? (
              <OrderRow key={row.order.id} order={row.order} />
            ) : (
              <FailedAttempts key={row.orders[0]!.id} orders={row.orders} />
            ),
          )
        }
      </ListTable>
      <Pager what="orders" pages={pages} nextCursor={list.data?.next_cursor} />
    </section>
  );
}

function OrderRow({ order, attempt = false }: { order: Order; attempt?: boolean }) {
  return (
    <tr className={attempt ? "attempt" : undefined}>
      <th scope="row"><Link to={`/orders/${order.id}`}>Order {shortId(order.id)}</Link></th>
      <td>{order.seller.store_name ?? "—"}</td>
      <td>{itemsSummary(order)}</td>
      <td>{formatMoney(order.total_cents, order.currency)}</td>
      <td><OrderStatusBadge status={order.status} /></td>
      <td>{formatDate(order.created_at)}</td>
    </tr>
  );
}

/** Declined checkout attempts in a row: one line saying how many, and a button that lists them. */
function FailedAttempts({ orders }: { orders: Order[] }) {
  const [open, setOpen] = useState(false);
  const newest = orders[0]!;
  return (
    <>
      <tr className="failed-attempts">
        <th scope="row">
          {orders.length} failed payment attempts{" "}
          <button type="button" className="secondary small" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? "Hide" : "Show"}<span className="visually-hidden"> {orders.length} failed payment attempts</span>
          </button>
        </th>
        <td>{newest.seller.store_name ?? "—"}</td>
        <td>{itemsSummary(newest)}</td>
        <td>{formatMoney(newest.total_cents, newest.currency)}</td>
        <td><OrderStatusBadge status="payment_failed" /></td>
        <td>{formatDate(newest.created_at)}</td>
      </tr>
      {open && orders.map((order) => <OrderRow key={order.id} order={order} attempt />)}
    </>
  );
}
