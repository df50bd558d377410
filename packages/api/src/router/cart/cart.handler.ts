import type { Executor, Transaction } from "@tessera/db";
import { AppError, success } from "../../envelope.ts";
import { isUuid } from "../../ids.ts";
import type { AuthedCall, AuthedContext } from "../../trpc.ts";
import { checkLineLimit } from "./line-limit.ts";
import { type addInput, type Cart, MAX_QUANTITY, type productInput, type setInput } from "./cart.schema.ts";

const productNotFound = () => new AppError("PRODUCT_NOT_FOUND", "Product not found.");
const notInCart = () => new AppError("PRODUCT_NOT_FOUND", "This product is not in your cart.");

/** The cart as docs/contract.md shows it: names, prices and availability read live from the products. */
export async function readCart(db: Executor, userId: string): Promise<Cart> {
  const lines = await db
    .selectFrom("cart_lines")
    .innerJoin("products", "products.id", "cart_lines.product_id")
    .select(["products.id", "products.name", "products.price_cents", "products.currency", "products.status", "products.stock", "cart_lines.quantity"])
    .where("cart_lines.user_id", "=", userId)
    .orderBy("cart_lines.created_at")
    .orderBy("cart_lines.product_id")
    .execute();
  const items = lines.map((line) => ({
    product_id: line.id,
    name: line.name,
    unit_price_cents: line.price_cents,
    quantity: line.quantity,
    line_total_cents: line.price_cents * line.quantity,
    available: line.status === "active" && line.stock >= line.quantity,
  }));
  return {
    items,
    subtotal_cents: items.reduce((sum, item) => sum + item.line_total_cents, 0),
    currency: lines[0]?.currency ?? "USD",
  };
}

/** The product a line may hold: active, someone else's, and in the cart's currency. */
async function buyableProduct(tx: Transaction, userId: string, productId: string) {
  // A product id that is no UUID names no product (and never reaches a query).
  if (!isUuid(productId)) throw productNotFound();
  const product = await tx
    .selectFrom("products")
    .select(["id", "seller_id", "currency", "stock"])
    .where("id", "=", productId)
    .where("status", "=", "active")
    .executeTakeFirst();
  if (!product) throw productNotFound();
  if (product.seller_id === userId) throw new AppError("OWN_PRODUCT", "You cannot buy your own product.");
  const other = await tx
    .selectFrom("cart_lines")
    .innerJoin("products", "products.id", "cart_lines.product_id")
    .select("products.currency")
    .where("cart_lines.user_id", "=", userId)
    .where("cart_lines.product_id", "!=", productId)
    .where("products.currency", "!=", product.currency)
    .executeTakeFirst();
  if (other) {
    throw new AppError("CURRENCY_MISMATCH", `Your cart holds ${other.currency} items and this product is priced in ${product.currency}: one currency per cart.`);
  }
  return product;
}

/** The checks on a line's quantity once it is known: 1–99 (400), then the stock (409). */
function checkQuantity(quantity: number, stock: number) {
  if (quantity > MAX_QUANTITY) {
    throw new AppError("INVALID_REQUEST", `Invalid request. Invalid fields: quantity (a cart line holds at most ${MAX_QUANTITY} units).`, {
      details: [{ path: "quantity", message: `The line would hold ${quantity} units; at most ${MAX_QUANTITY} are allowed.` }],
    });
  }
  if (quantity > stock) {
    throw new AppError("INSUFFICIENT_STOCK", "Not enough stock for this quantity.", {
      details: [{ path: "quantity", message: `Only ${stock} in stock.` }],
    });
  }
}

/**
 * Cart writes run SERIALIZABLE: the one-currency rule and the line limit are checks of other lines followed by a
 * write, and two concurrent additions (of different currencies, or each the 100th line) would otherwise both pass
 * on PostgreSQL. There one of them now fails with a serialization error, and db.transaction runs it again, when it
 * sees the other's line (SQLite runs one write transaction at a time anyway).
 */
const serializable = { isolation: "serializable" } as const;

/**
 * Adds units, merging with the product's line. The merge is one upsert that increments in the database, inside
 * a transaction that the checks roll back: two concurrent additions cannot both pass the 99 limit.
 */
export async function addItem({ ctx, input }: AuthedCall<typeof addInput>) {
  const userId = ctx.auth.user.id;
  await ctx.services.db.transaction(async (tx) => {
    const product = await buyableProduct(tx, userId, input.product_id);
    const line = await tx
      .insertInto("cart_lines")
      .values({ user_id: userId, product_id: product.id, quantity: input.quantity, created_at: new Date() })
      .onConflict((conflict) => conflict.columns(["user_id", "product_id"]).doUpdateSet((eb) => ({ quantity: eb("cart_lines.quantity", "+", input.quantity) })))
      .returning("quantity")
      .executeTakeFirstOrThrow();
    checkQuantity(line.quantity, product.stock);
    await checkLineLimit(tx, userId, ctx.services.market.cartMaxLines);
  }, serializable);
  return success(await readCart(ctx.services.db.kysely, userId), "Item added to cart.");
}

/** Sets a line's quantity (creating the line if need be); 0 removes it, as DELETE does. */
export async function setItem({ ctx, input }: AuthedCall<typeof setInput>) {
  const userId = ctx.auth.user.id;
  if (input.quantity === 0) return removeItem({ ctx, input: { product_id: input.product_id } }).then((reply) => success(reply.data, "Cart updated."));
  await ctx.services.db.transaction(async (tx) => {
    const product = await buyableProduct(tx, userId, input.product_id);
    checkQuantity(input.quantity, product.stock);
    await tx
      .insertInto("cart_lines")
      .values({ user_id: userId, product_id: product.id, quantity: input.quantity, created_at: new Date() })
      .onConflict((conflict) => conflict.columns(["user_id", "product_id"]).doUpdateSet({ quantity: input.quantity }))
      .execute();
    await checkLineLimit(tx, userId, ctx.services.market.cartMaxLines);
  }, serializable);
  return success(await readCart(ctx.services.db.kysely, userId), "Cart updated.");
}

/** Removes a line, whatever became of its product (an archived product's line is removable). */
export async function removeItem({ ctx, input }: AuthedCall<typeof productInput>) {
  const userId = ctx.auth.user.id;
  if (!isUuid(input.product_id)) throw notInCart();
  const { numDeletedRows } = await ctx.services.db.kysely
    .deleteFrom("cart_lines")
    .where("user_id", "=", userId)
    .where("product_id", "=", input.product_id)
    .executeTakeFirst();
  if (numDeletedRows === 0n) throw notInCart();
  return success(await readCart(ctx.services.db.kysely, userId), "Item removed from cart.");
}

export async function emptyCart({ ctx }: { ctx: AuthedContext }) {
  await ctx.services.db.kysely.deleteFrom("cart_lines").where("user_id", "=", ctx.auth.user.id).execute();
  return success(await readCart(ctx.services.db.kysely, ctx.auth.user.id), "Cart emptied.");
}

export async function getCart({ ctx }: { ctx: AuthedContext }) {
  return success(await readCart(ctx.services.db.kysely, ctx.auth.user.id));
}
