import { randomUUID } from "node:crypto";
import type { Transaction } from "@tessera/db";
import { AppError, type FieldProblem } from "../../envelope.ts";
import type { ChargeResult } from "../../services/payments/provider.ts";
import { inTransaction } from "../../transactions.ts";
import type { AuthedContext as Authed } from "../../trpc.ts";
import { readOrders } from "../orders/order-rows.ts";
import type { Order } from "../orders/orders.schema.ts";
import { announce, move } from "../orders/transitions.ts";

interface Placed {
  id: string;
  totalCents: number;
  currency: string;
  productIds: string[];
}

type Line = Awaited<ReturnType<typeof cartLines>>[number];

const cartLines = (tx: Transaction, userId: string) =>
  tx.cartLine.findMany({ where: { userId }, include: { product: true }, orderBy: [{ createdAt: "asc" }, { productId: "asc" }] });

/**
 * Takes every line's units out of stock, each with one conditional UPDATE (`stock >= quantity`): the database
 * decides under its row lock, so no interleaving of checkouts can sell a unit twice or leave stock below zero.
 * Products are taken in id order, the same in every transaction, so that two checkouts cannot deadlock.
 * Returns one problem per line that could not be covered.
 */
async function takeStock(tx: Transaction, lines: Line[]): Promise<FieldProblem[]> {
  const shortages: FieldProblem[] = [];
  for (const line of [...lines].sort((a, b) => (a.productId < b.productId ? -1 : 1))) {
    const { count } = await tx.product.updateMany({
      where: { id: line.productId, status: "active", stock: { gte: line.quantity } },
      data: { stock: { decrement: line.quantity } },
    });
    if (count === 0) {
      const message = line.product.status === "active" ? "Not enough stock for the quantity in your cart." : "This product is no longer available.";
      shortages.push({ path: `items.${line.productId}`, message });
    }
  }
  return shortages;
}

/**
 * The reservation, in one transaction: the cart's lines, their stock, and one pending_payment order per seller with
 * a snapshot of each line at the prices read now, after the stock was taken. Any shortage rolls all of it back.
 */
function reserve(ctx: Authed, providerName: string): Promise<Placed[]> {
  const buyerId = ctx.auth.user.id;
  return inTransaction(ctx, async (tx) => {
    const lines = await cartLines(tx, buyerId);
    if (lines.length === 0) throw new AppError("CART_EMPTY", "Your cart is empty.");
    const currencies = [...new Set(lines.map((line) => line.product.currency))];
    if (currencies.length > 1) throw new AppError("CURRENCY_MISMATCH", `Your cart mixes ${currencies.join(" and ")}: one currency per cart.`);
    const shortages = await takeStock(tx, lines);
    if (shortages.length > 0) throw new AppError("INSUFFICIENT_STOCK", "Some items are out of stock; nothing was charged.", { details: shortages });

    // Re-read after the UPDATEs: on PostgreSQL these rows are now locked by this transaction, so price and name are current.
    const products = new Map((await tx.product.findMany({ where: { id: { in: lines.map((l) => l.productId) } } })).map((p) => [p.id, p]));
    // Sellers in the order their first product was added to the cart; names as they are now (the order keeps them).
    const sellerIds = [...new Set(lines.map((line) => products.get(line.productId)!.sellerId))];
    const people = new Map((await tx.user.findMany({ where: { id: { in: [buyerId, ...sellerIds] } } })).map((u) => [u.id, u]));
    const now = new Date();
    const placed: Placed[] = [];
    for (const sellerId of sellerIds) {
      const items = lines
        .filter((line) => products.get(line.productId)!.sellerId === sellerId)
        .map((line, position) => {
          const product = products.get(line.productId)!;
          return { productId: product.id, position, name: product.name, unitPriceCents: product.priceCents, quantity: line.quantity };
        });
      const totalCents = items.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0);
      const order = await tx.order.create({
        data: {
          id: randomUUID(),
          buyerId,
          buyerUsername: people.get(buyerId)!.username,
          sellerId,
          sellerStoreName: people.get(sellerId)!.storeName,
          totalCents: BigInt(totalCents),
          currency: currencies[0]!,
          status: "pending_payment",
          paymentProvider: providerName,
          paymentStatus: "pending",
          createdAt: now,
          updatedAt: now,
          items: { create: items },
          history: { create: { status: "pending_payment", at: now } },
        },
      });
      placed.push({ id: order.id, totalCents, currency: order.currency, productIds: items.map((item) => item.productId) });
    }
    return placed;
  });
}

/** One charge per order, each under the order's id as idempotency key: a retry never charges an order twice. */
async function charge(ctx: Authed, orders: Placed[], paymentMethod: string): Promise<ChargeResult[]> {
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
 * Checkout (API-MARKET.md): reserve (stock and orders, one transaction), charge each order, then settle in one more
 * transaction. All charged: the orders are paid (or stay pending_payment until the provider's webhook when it
 * settles later) and the bought lines leave the cart. A decline: the charges already made are refunded and every
 * order is payment_failed with its units back in stock; the cart is kept.
 */
export async function placeOrders(ctx: Authed, paymentMethod: string): Promise<Order[]> {
  if (!(await ctx.services.payments.isKnownPaymentMethod(paymentMethod))) {
    throw new AppError("INVALID_REQUEST", "Invalid request. Invalid fields: payment_method.", {
      details: [{ path: "payment_method", message: "Unknown payment method." }],
    });
  }
  const orders = await reserve(ctx, ctx.services.payments.name);
  const ids = orders.map((order) => order.id);
  await announce(ctx, ids);

  const results = await charge(ctx, orders, paymentMethod);
  const declined = results.find((result) => result.status === "declined");
  if (declined) {
    await failAll(ctx, orders, results);
    await announce(ctx, ids);
    throw new AppError("PAYMENT_DECLINED", `Payment declined: ${declined.message}`, {
      details: [{ path: "payment_method", message: declined.message, decline_code: declined.declineCode }],
    });
  }

  const now = new Date();
  const paid = await inTransaction(ctx, async (tx) => {
    const moved: string[] = [];
    for (const [i, order] of orders.entries()) {
      const result = results[i]!;
      if (result.status === "succeeded") {
        if (await move(tx, order.id, "pending_payment", "paid", now, { chargeId: result.chargeId, paymentStatus: "succeeded" })) moved.push(order.id);
      } else {
        // Pending: the webhook settles it. Its event may already have, so only a charge id not yet known is set.
        await tx.order.updateMany({ where: { id: order.id, chargeId: null }, data: { chargeId: result.chargeId } });
      }
    }
    const bought = orders.flatMap((order) => order.productIds);
    await tx.cartLine.deleteMany({ where: { userId: ctx.auth.user.id, productId: { in: bought } } });
    return moved;
  });
  await announce(ctx, paid);
  return readOrders(ctx.services.db.prisma, ids);
}

/** After a decline: refunds what was charged, then every order → payment_failed (restocked) in one transaction. */
async function failAll(ctx: Authed, orders: Placed[], results: ChargeResult[]) {
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
  await inTransaction(ctx, async (tx) => {
    for (const [i, order] of orders.entries()) {
      const chargeId = results[i]?.chargeId;
      await move(tx, order.id, "pending_payment", "payment_failed", now, {
        ...(chargeId !== undefined && { chargeId }),
        paymentStatus: refunded.has(order.id) ? "refunded" : "failed",
      });
    }
  });
}
