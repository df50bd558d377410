import type { Tables } from "@tessera/db";
import type { Selectable } from "kysely";
import { AppError, httpStatusOf, success, toErrorEnvelope } from "../../envelope.ts";
import type { ChargeRecord } from "../../services/payments/provider.ts";
import type { Services } from "../../services/services.ts";
import type { Context } from "../../trpc.ts";
import { readOrders } from "../orders/order-rows.ts";
import type { Order, PaymentStatus } from "../orders/orders.schema.ts";
import { announce, move } from "../orders/transitions.ts";
import { type KeyState, type Outcome, recordOutcome } from "./idempotency.ts";

/**
 * Crash safety of checkout (issue 16, item 7). A checkout reserves (stock and pending_payment orders, one
 * transaction), charges, then settles; a process that dies in between leaves orders pending with their stock held,
 * and the Idempotency-Key's record without an outcome. Reconciliation settles what stayed unsettled past
 * CHECKOUT_SETTLE_DEADLINE_SECONDS against the payment provider (findCharge by the charge's idempotency key), the
 * way the checkout itself would have: every order charged → paid, the bought lines leave the cart, the key answers
 * 201 with the orders; otherwise the charges made are refunded, every order is payment_failed and restocked, the
 * cart is kept and the key answers 402 PAYMENT_DECLINED (the decline's code, or `processing_error` when nothing was
 * charged). Refunds left `refund_pending` are retried. Every write is conditional (a move from pending_payment, an
 * outcome recorded only where none is), so several processes reconciling at once, or a stuck request finishing
 * late, settle each thing once.
 */

type OrderRow = Selectable<Tables["orders"]>;

/** Most records, orders and refunds one pass looks at, each kind: a pass stays short; the next one goes on. */
const BATCH = 50;

export interface Decline {
  declineCode: string;
  message: string;
}

/** A checkout that died before its payment completed: nothing of it was charged (or what was, is refunded). */
export const INTERRUPTED: Decline = {
  declineCode: "processing_error",
  message: "The checkout was interrupted before its payment completed; nothing was charged. Try again with a new Idempotency-Key.",
};

/** The outcomes a checkout answers with (checkout.handler.ts and place-orders.ts answer the same). */
export const placedOutcome = (orders: Order[]): Outcome => ({ status: 201, body: success({ orders }, "Order placed successfully.") });

export function declinedOutcome({ declineCode, message }: Decline): Outcome {
  const error = new AppError("PAYMENT_DECLINED", `Payment declined: ${message}`, {
    details: [{ path: "payment_method", message, decline_code: declineCode }],
  });
  return { status: httpStatusOf("PAYMENT_DECLINED"), body: toErrorEnvelope(error) };
}

const chargeKey = (orderId: string) => `charge:${orderId}`;
const refundKey = (orderId: string) => `refund:${orderId}`;

/** What announce() needs of a request context: the services (the events go to buyer and seller). */
const contextOf = (services: Services): Context => ({ services, request: { requestId: "reconcile", clientAddress: "-", authorization: undefined } });

/** What the provider says about each order's charge (none: it made no charge under the order's key). */
async function lookups(services: Services, orders: OrderRow[]): Promise<Map<string, ChargeRecord | undefined>> {
  const found = new Map<string, ChargeRecord | undefined>();
  for (const order of orders) found.set(order.id, await services.payments.findCharge(chargeKey(order.id)));
  return found;
}

/** Refunds a charge; false (logged) when the provider refuses now, so that the payment is left owed. */
async function tryRefund(services: Services, order: OrderRow, chargeId: string): Promise<boolean> {
  try {
    await services.payments.refund({
      chargeId, orderId: order.id, amountCents: order.total_cents, currency: order.currency, idempotencyKey: refundKey(order.id),
    });
    return true;
  } catch (error) {
    services.logger.error({ err: error, orderId: order.id }, "reconciliation could not refund a charge; the order stays refund_pending");
    return false;
  }
}

/**
 * Settles one checkout's orders as a group, as the checkout would have: paid when every one of them was charged
 * (or is still being charged, which the webhook will settle), failed as a whole otherwise. Returns the decline when
 * the checkout failed. `checkout`: these are all of one checkout's orders, whose bought lines leave the cart when
 * its own settling never ran (an order still without a charge id).
 */
export async function settleCheckout(services: Services, orders: OrderRow[], { checkout = false } = {}): Promise<Decline | undefined> {
  const db = services.db;
  const open = orders.filter((order) => order.status === "pending_payment" || order.status === "payment_failed");
  const charges = await lookups(services, open);
  const pending = orders.filter((order) => order.status === "pending_payment");
  const declined = [...charges.values()].find((charge) => charge?.status === "declined");
  const failed = declined !== undefined || orders.some((order) => order.status === "payment_failed") || pending.some((order) => !charges.get(order.id));
  const at = new Date();
  const moved: string[] = [];
  if (!failed) {
    const unsettled = checkout && pending.some((order) => order.charge_id === null);
    const items = unsettled
      ? await db.kysely.selectFrom("order_items").select("product_id").where("order_id", "in", orders.map((order) => order.id)).execute()
      : [];
    await db.transaction(async (tx) => {
      moved.length = 0;
      for (const order of pending) {
        const charge = charges.get(order.id)!;
        if (charge.status === "succeeded") {
          if (await move(tx, order.id, "pending_payment", "paid", at, { charge_id: charge.chargeId, payment_status: "succeeded" })) moved.push(order.id);
        } else {
          await tx.updateTable("orders").set({ charge_id: charge.chargeId }).where("id", "=", order.id).where("charge_id", "is", null).execute();
        }
      }
      // The bought lines leave the cart, as after a checkout that settled.
      if (items.length > 0) {
        await tx.deleteFrom("cart_lines").where("user_id", "=", orders[0]!.buyer_id).where("product_id", "in", items.map((item) => item.product_id)).execute();
      }
    });
    await announce(contextOf(services), moved);
    return undefined;
  }
  // Failed as a whole: what was charged is refunded first (or left owed, refund_pending, when that fails now or the
  // charge is still in flight at the processor).
  const payment = new Map<string, { charge_id?: string; payment_status: PaymentStatus }>();
  for (const order of pending) {
    const charge = charges.get(order.id);
    let status: PaymentStatus = "failed";
    if (charge?.status === "succeeded") status = charge.refunded || (await tryRefund(services, order, charge.chargeId)) ? "refunded" : "refund_pending";
    else if (charge?.status === "pending") status = "refund_pending";
    payment.set(order.id, { ...(charge && { charge_id: charge.chargeId }), payment_status: status });
  }
  await db.transaction(async (tx) => {
    moved.length = 0;
    for (const order of pending) if (await move(tx, order.id, "pending_payment", "payment_failed", at, payment.get(order.id))) moved.push(order.id);
  });
  await announce(contextOf(services), moved);
  return declined && declined.status === "declined" ? { declineCode: declined.declineCode, message: declined.message } : INTERRUPTED;
}

/**
 * Settles one Idempotency-Key whose request stopped before recording an outcome. `processing`: it never reserved
 * anything (nothing to undo). `reserved`: its orders are settled as a group. Then its outcome is recorded, unless
 * the request (or another reconciler) recorded one first.
 */
export async function settleKey(services: Services, record: { user_id: string; key: string; state: KeyState }): Promise<void> {
  const db = services.db.kysely;
  if (record.state === "processing") {
    await recordOutcome(db, record.user_id, record.key, declinedOutcome(INTERRUPTED), ["processing"]);
    return;
  }
  if (record.state !== "reserved") return;
  const orders = await db.selectFrom("orders").selectAll().where("buyer_id", "=", record.user_id).where("checkout_key", "=", record.key).orderBy("id").execute();
  const decline = orders.length === 0 ? INTERRUPTED : await settleCheckout(services, orders, { checkout: true });
  const outcome = decline ? declinedOutcome(decline) : placedOutcome(await readOrders(db, orders.map((order) => order.id)));
  await recordOutcome(db, record.user_id, record.key, outcome, ["reserved"]);
}

/**
 * A refund still owed: asks the provider how the charge stands and refunds it (under the order's refund key, so
 * never twice). Left refund_pending, and tried again after another deadline, while that cannot be done.
 */
async function retryRefund(services: Services, order: OrderRow): Promise<boolean> {
  const db = services.db.kysely;
  const charge = await services.payments.findCharge(chargeKey(order.id));
  let status: PaymentStatus | undefined;
  if (charge?.refunded) status = "refunded";
  else if (charge?.status === "declined") status = "failed"; // nothing was taken: nothing to give back
  else if (charge?.status === "succeeded" && (await tryRefund(services, order, order.charge_id ?? charge.chargeId))) status = "refunded";
  if (!charge) services.logger.warn({ orderId: order.id }, "reconciliation: the payment provider knows no charge of this order; its refund stays pending");
  await db
    .updateTable("orders")
    .set({ payment_status: status ?? "refund_pending", updated_at: new Date() })
    .where("id", "=", order.id)
    .where("payment_status", "=", "refund_pending")
    .execute();
  return status !== undefined;
}

export interface ReconcileReport {
  /** Idempotency keys settled (their outcome recorded, by this pass or another). */
  keys: number;
  /** Orders outside such keys settled on their own. */
  orders: number;
  /** Refunds completed. */
  refunds: number;
}

/** One pass: everything unsettled since before `now` minus the deadline, up to BATCH of each kind. */
export async function reconcile(services: Services, now = new Date()): Promise<ReconcileReport> {
  const db = services.db.kysely;
  const staleBefore = new Date(now.getTime() - services.paymentSettings.settleDeadlineSeconds * 1000);
  const report: ReconcileReport = { keys: 0, orders: 0, refunds: 0 };

  const records = await db
    .selectFrom("idempotency_records")
    .select(["user_id", "key", "state"])
    .where("state", "in", ["processing", "reserved"])
    .where("updated_at", "<", staleBefore)
    .orderBy("state")
    .orderBy("updated_at")
    .limit(BATCH)
    .execute();
  for (const record of records) {
    await settleKey(services, { ...record, state: record.state as KeyState });
    report.keys++;
  }

  // Pending payments of checkouts whose key is settled (a charge the processor settles later, whose webhook never
  // came) or that have no key (placed before keys were recorded on orders): each order on its own.
  const orders = await db
    .selectFrom("orders")
    .leftJoin("idempotency_records", (join) =>
      join.onRef("idempotency_records.user_id", "=", "orders.buyer_id").onRef("idempotency_records.key", "=", "orders.checkout_key"))
    .selectAll("orders")
    .where("orders.payment_status", "=", "pending")
    .where("orders.updated_at", "<", staleBefore)
    .where("orders.status", "=", "pending_payment")
    .where((eb) => eb.or([eb("idempotency_records.state", "is", null), eb("idempotency_records.state", "=", "done")]))
    .orderBy("orders.updated_at")
    .limit(BATCH)
    .execute();
  for (const order of orders) {
    const charge = await services.payments.findCharge(chargeKey(order.id));
    if (charge?.status === "pending") continue; // the processor has not decided: its webhook (or a later pass) will
    await settleCheckout(services, [order]);
    report.orders++;
  }

  const owed = await db
    .selectFrom("orders")
    .selectAll()
    .where("payment_status", "=", "refund_pending")
    .where("updated_at", "<", staleBefore)
    .orderBy("updated_at")
    .limit(BATCH)
    .execute();
  for (const order of owed) if (await retryRefund(services, order)) report.refunds++;
  return report;
}

/**
 * Reconciles once at start and then every CHECKOUT_RECONCILE_INTERVAL_SECONDS (0: only at start), one pass at a
 * time; stop() waits for the pass in flight (before the database closes).
 */
export function startReconciler(services: Services): { stop(): Promise<void> } {
  const { reconcileIntervalSeconds } = services.paymentSettings;
  let running: Promise<void> | undefined;
  let stopped = false;
  const pass = () => {
    if (running || stopped) return;
    running = reconcile(services)
      .then(
        (report) => {
          if (report.keys + report.orders + report.refunds > 0) services.logger.info({ ...report }, "reconciled unsettled checkouts and refunds");
        },
        (error: unknown) => services.logger.error({ err: error }, "reconciliation pass failed; the next one retries"),
      )
      .finally(() => (running = undefined));
  };
  pass();
  const timer = reconcileIntervalSeconds > 0 ? setInterval(pass, reconcileIntervalSeconds * 1000) : undefined;
  timer?.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
