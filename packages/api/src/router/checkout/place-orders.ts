import { randomUUID } from "node:crypto";
import type { Transaction } from "@tessera/db";
import { AppError, type FieldProblem } from "../../envelope.ts";
import type { ChargeResult } from "../../services/payments/provider.ts";
import type { AuthedContext } from "../../trpc.ts";
import { checkLineLimit } from "../cart/line-limit.ts";
import { readOrders } from "../orders/order-rows.ts";
import type { Order } from "../orders/orders.schema.ts";
import { announce, move } from "../orders/transitions.ts";

interface Placed {
  id: string;
  totalCents: number;
  currency: string;
  productIds: string[];
}

/** A cart line with what checkout needs of its product to take its units. */
type Line = Awaited<ReturnType<typeof cartLines>>[number];

const cartLines = (tx: Transaction, userId: string) =>
  tx
    .selectFrom("cart_lines")
    .innerJoin("products", "products.id", "cart_lines.product_id")
    .select(["cart_lines.product_id", "cart_lines.quantity", "products.status", "products.currency"])
    .where("cart_lines.user_id", "=", userId)
    .orderBy("cart_lines.created_at")
    .orderBy("cart_lines.product_id")
    .execute();

/**
 * Takes every line's units out of stock, each with one conditional UPDATE (`stock >= quantity`): the database
 * decides under its row lock, so no interleaving of checkouts can sell a unit twice or leave stock below zero.
 * Products are taken in id order, the same in every transaction, so that two checkouts cannot deadlock.
 * Returns one problem per line that could not be covered.
 */
async function takeStock(tx: Transaction, lines: Line[]): Promise<FieldProblem[]> {
  const shortages: FieldProblem[] = [];
  for (const line of [...lines].sort((a, b) => (a.product_id < b.product_id ? -1 : 1))) {
    const { numUpdatedRows } = await tx
      .updateTable("products")
      .set((eb) => ({ stock: eb("stock", "-", line.quantity) }))
      .where("id", "=", line.product_id)
      .where("status", "=", "active")
      .where("stock", ">=", line.quantity)
      .executeTakeFirst();
    if (numUpdatedRows === 0n) {
      const message = line.status === "active" ? "Not enough stock for the quantity in your cart." : "This product is no longer available.";
      shortages.push({ path: `items.${line.product_id}`, message });
    }
  }
  return shortages;
}

/**
 * The reservation, in one transaction: the cart's lines, their stock, and one pending_payment order per seller with
 * a snapshot of each line at the prices read now, after the stock was taken. Any shortage rolls all of it back.
 */
function reserve(ctx: AuthedContext, providerName: string, key: string): Promise<Placed[]> {
  const buyerId = ctx.auth.user.id;
  // Database work only (db.transaction may run it again after a conflict): the charges come after it commits.
  return ctx.services.db.transaction(async (tx) => {
    // The key's record says its orders exist from now on (reconciliation settles them if this process dies), in
    // the same transaction as the orders. A record no longer `processing` was settled by reconciliation while this
    // request was stuck (its recorded outcome stands): nothing is reserved then.
    const { numUpdatedRows } = await tx
      .updateTable("idempotency_records")
      .set({ state: "reserved", updated_at: new Date() })
      .where("user_id", "=", buyerId)
      .where("key", "=", key)
      .where("state", "=", "processing")
      .executeTakeFirst();
    if (numUpdatedRows !== 1n) throw new AppError("NOT_READY", "This checkout was settled while it waited: retry with the same key for its outcome.");
    const lines = await cartLines(tx, buyerId);
    if (lines.length === 0) throw new AppError("CART_EMPTY", "Your cart is empty.");
    const currencies = [...new Set(lines.map((line) => line.currency))];
    if (currencies.length > 1) throw new AppError("CURRENCY_MISMATCH", `Your cart mixes ${currencies.join(" and ")}: one currency per cart.`);
    const shortages = await takeStock(tx, lines);
    if (shortages.length > 0) throw new AppError("INSUFFICIENT_STOCK", "Some items are out of stock; nothing was charged.", { details: shortages });

    // Re-read after the UPDATEs: on PostgreSQL these rows are now locked by this transaction, so price and name are current.
    const productRows = await tx
      .selectFrom("products")
      .select(["id", "seller_id", "name", "price_cents"])
      .where("id", "in", lines.map((line) => line.product_id))
      .execute();
    const products = new Map(productRows.map((product) => [product.id, product]));
    // Sellers in the order their first product was added to the cart; names as they are now (the order keeps them).
    const sellerIds = [...new Set(lines.map((line) => products.get(line.product_id)!.seller_id))];
    const userRows = await tx.selectFrom("users").select(["id", "username", "store_name"]).where("id", "in", [buyerId, ...sellerIds]).execute();
    const people = new Map(userRows.map((user) => [user.id, user]));
    const now = new Date();
    const placed: Placed[] = [];
    const orders = [];
    const items = [];
    const history = [];
    for (const sellerId of sellerIds) {
      const id = randomUUID();
      const own = lines
        .filter((line) => products.get(line.product_id)!.seller_id === sellerId)
        .map((line, position) => {
          const product = products.get(line.product_id)!;
          return { order_id: id, product_id: product.id, position, name: product.name, unit_price_cents: product.price_cents, quantity: line.quantity };
        });
      const totalCents = own.reduce((sum, item) => sum + item.unit_price_cents * item.quantity, 0);
      orders.push({
        id,
        buyer_id: buyerId,
        buyer_username: people.get(buyerId)!.username,
        seller_id: sellerId,
        seller_store_name: people.get(sellerId)!.store_name,
        total_cents: totalCents,
        currency: currencies[0]!,
        status: "pending_payment",
        payment_provider: providerName,
        payment_status: "pending",
        checkout_key: key,
        created_at: now,
        updated_at: now,
      });
      items.push(...own);
      history.push({ order_id: id, status: "pending_payment", at: now });
      placed.push({ id, totalCents, currency: currencies[0]!, productIds: own.map((item) => item.product_id) });
    }
    // Every seller's order in one statement per table: the transaction's statements grow with the lines (one
    // conditional UPDATE each, above), not with the sellers.
    await tx.insertInto("orders").values(orders).execute();
    await tx.insertInto("order_items").values(items).execute();
    await tx.insertInto("order_history").values(history).execute();
    return placed;
  });
}

/** One charge per order, each under the order's id as idempotency key: a retry never charges an order twice. */
async function charge(ctx: AuthedContext, orders: Placed[], paymentMethod: string): Promise<ChargeResult[]> {
  const results: ChargeResult[] = [];
  for (const order of orders) {
    const result = await ctx.services.payments.createCharge({
      orderId: order.id, amountCents: order.totalCents, currency: order.currency, paymentMethod, idempotencyKey: `charge:${order.id}`,
    });
    results.push(result);
    // The first decline settles the checkout: the other orders are not charged.
    if (result.status === "declined") break;
  }
  return results;
}

/**
 * Checkout (docs/contract.md): reserve (stock and orders, one transaction), charge each order, then settle in one more
 * transaction. All charged: the orders are paid (or stay pending_payment until the provider's webhook when it
 * settles later) and the bought lines leave the cart. A decline: the charges already made are refunded and every
 * order is payment_failed with its units back in stock; the cart is kept.
 */
export async function placeOrders(ctx: AuthedContext, paymentMethod: string, key: string): Promise<Order[]> {
  if (!(await ctx.services.payments.isKnownPaymentMethod(paymentMethod))) {
    throw new AppError("INVALID_REQUEST", "Invalid request. Invalid fields: payment_method.", {
      details: [{ path: "payment_method", message: "Unknown payment method." }],
    });
  }
  // A cart over the line limit (one filled before the limit existed) is refused before any transaction: what the
  // reservation holds the database for grows with the lines.
  await checkLineLimit(ctx.services.db.kysely, ctx.auth.user.id, ctx.services.market.cartMaxLines);
  const orders = await reserve(ctx, ctx.services.payments.name, key);
  const ids = orders.map((order) => order.id);
  await announce(ctx, ids);

  const results = await charge(ctx, orders, paymentMethod);
  const declined = results.find((result) => result.status === "declined");
  if (declined) {
    await failAll(ctx, orders, results);
    await announce(ctx, ids);
    ctx.services.metrics.order("failed", orders.length);
    throw new AppError("PAYMENT_DECLINED", `Payment declined: ${declined.message}`, {
      details: [{ path: "payment_method", message: declined.message, decline_code: declined.declineCode }],
    });
  }

  const now = new Date();
  const lost: Placed[] = [];
  const paid = await ctx.services.db.transaction(async (tx) => {
    const moved: string[] = [];
    lost.length = 0;
    for (const [i, order] of orders.entries()) {
      const result = results[i]!;
      if (result.status === "succeeded") {
        if (await move(tx, order.id, "pending_payment", "paid", now, { charge_id: result.chargeId, payment_status: "succeeded" })) moved.push(order.id);
        else lost.push(order);
      } else {
        // Pending: the webhook settles it. Its event may already have, so only a charge id not yet known is set.
        await tx.updateTable("orders").set({ charge_id: result.chargeId }).where("id", "=", order.id).where("charge_id", "is", null).execute();
      }
    }
    // Every order has at least one line: the list is never empty.
    const bought = orders.flatMap((order) => order.productIds);
    await tx.deleteFrom("cart_lines").where("user_id", "=", ctx.auth.user.id).where("product_id", "in", bought).execute();
    return moved;
  });
  await announce(ctx, paid);
  await refundLost(ctx, lost, results, orders);
  ctx.services.metrics.order("placed", orders.length - lost.length);
  return readOrders(ctx.services.db.kysely, ids);
}

/**
 * Charges that succeeded for orders this request could no longer settle. Either the webhook got there first (the
 * order is paid: nothing to do), or this request was so slow that reconciliation settled the order without the
 * charge (payment_failed, restocked): then the charge is refunded, as a declined checkout's charges are.
 */
async function refundLost(ctx: AuthedContext, lost: Placed[], results: ChargeResult[], orders: Placed[]) {
  for (const order of lost) {
    const now = await ctx.services.db.kysely.selectFrom("orders").select(["status", "payment_status"]).where("id", "=", order.id).executeTakeFirst();
    if (now?.status !== "payment_failed" || now.payment_status === "refunded") continue;
    const chargeId = results[orders.indexOf(order)]!.chargeId;
    const owed = (status: "refunded" | "refund_pending") =>
      ctx.services.db.kysely.updateTable("orders").set({ charge_id: chargeId, payment_status: status, updated_at: new Date() }).where("id", "=", order.id).execute();
    await ctx.services.payments
      .refund({ chargeId, orderId: order.id, amountCents: order.totalCents, currency: order.currency, idempotencyKey: `refund:${order.id}` })
      .then(() => owed("refunded"), async (error: unknown) => {
        // Owed, and said so: reconciliation retries refund_pending payments.
        ctx.services.logger.error({ err: error, orderId: order.id }, "refund of a charge made after reconciliation failed; the order stays refund_pending");
        await owed("refund_pending");
      });
  }
}

/** After a decline: refunds what was charged, then every order → payment_failed (restocked) in one transaction. */
async function failAll(ctx: AuthedContext, orders: Placed[], results: ChargeResult[]) {
  const refunded = new Set<string>();
  for (const [i, result] of results.entries()) {
    if (result.status !== "succeeded") continue;
    const order = orders[i]!;
    await ctx.services.payments.refund({
      chargeId: result.chargeId, orderId: order.id, amountCents: order.totalCents, currency: order.currency, idempotencyKey: `refund:${order.id}`,
    });
    refunded.add(order.id);
  }
  const now = new Date();
  await ctx.services.db.transaction(async (tx) => {
    for (const [i, order] of orders.entries()) {
      const chargeId = results[i]?.chargeId;
      await move(tx, order.id, "pending_payment", "payment_failed", now, {
        ...(chargeId !== undefined && { charge_id: chargeId }),
        payment_status: refunded.has(order.id) ? "refunded" : "failed",
      });
    }
  });
}
