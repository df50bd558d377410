import { randomUUID } from "node:crypto";
import type { Transaction } from "@tessera/db";
import { AppError, success } from "../../envelope.ts";
import { searchText } from "../../search.ts";
import type { AuthedCall as Call, ViewerCall } from "../../trpc.ts";
import { managedProduct, productNotFound, readProduct, toProduct, visibleProduct } from "./access.ts";
import { type createInput, type idInput, normalizeCategories, type updateInput } from "./products.schema.ts";

/** Gives a product these categories (stored lower-case, each once). */
async function addCategories(tx: Transaction, productId: string, categories: string[]) {
  const names = normalizeCategories(categories);
  if (names.length > 0) await tx.insertInto("product_categories").values(names.map((name) => ({ product_id: productId, name }))).execute();
}

/**
 * A seller's products are limited (SELLER_MAX_PRODUCTS, archived ones included: they are still stored and can be
 * made active again). Counted in the creating transaction, which runs SERIALIZABLE so that concurrent creations
 * cannot both take the last place on PostgreSQL.
 */
async function checkQuota(tx: Transaction, sellerId: string, max: number) {
  const { products } = await tx
    .selectFrom("products")
    .select((eb) => eb.fn.countAll<number>().as("products"))
    .where("seller_id", "=", sellerId)
    .executeTakeFirstOrThrow();
  if (Number(products) >= max) {
    throw new AppError("QUOTA_EXCEEDED", `A seller may have at most ${max} products.`, {
      details: [{ path: "products", message: `You have ${Number(products)} products (archived ones included), the most allowed.` }],
    });
  }
}

/** The product and its categories in one transaction; answered as read back (categories in the database's order). */
export async function createProduct({ ctx, input }: Call<typeof createInput>) {
  const now = new Date();
  const id = randomUUID();
  const row = await ctx.services.db.transaction(async (tx) => {
    await checkQuota(tx, ctx.auth.user.id, ctx.services.market.sellerMaxProducts);
    await tx
      .insertInto("products")
      .values({
        id,
        seller_id: ctx.auth.user.id,
        name: input.name,
        description: input.description,
        price_cents: input.price_cents,
        currency: input.currency,
        stock: input.stock,
        name_search: searchText(input.name),
        description_search: searchText(input.description),
        created_at: now,
        updated_at: now,
      })
      .execute();
    await addCategories(tx, id, input.categories);
    return (await readProduct(tx, id))!;
  }, { isolation: "serializable" });
  return success(toProduct(row), "Product created.");
}

export async function getProduct({ ctx, input }: ViewerCall<typeof idInput>) {
  return success(toProduct(await visibleProduct(ctx.services.db.kysely, input.id, ctx.auth?.user ?? null)));
}

/** PUT and PATCH: only the fields sent change (categories are replaced as a whole), in one transaction. */
export async function updateProduct({ ctx, input }: Call<typeof updateInput>) {
  const row = await ctx.services.db.transaction(async (tx) => {
    const before = await managedProduct(tx, input.id, ctx.auth.user);
    // The product's row first: its row lock (PostgreSQL) makes concurrent updates of one product take turns, so two
    // replacements of its categories cannot interleave their deletes and inserts.
    const updated = await tx
      .updateTable("products")
      .set({
        ...(input.name !== undefined && { name: input.name, name_search: searchText(input.name) }),
        ...(input.description !== undefined && { description: input.description, description_search: searchText(input.description) }),
        ...(input.price_cents !== undefined && { price_cents: input.price_cents }),
        ...(input.currency !== undefined && { currency: input.currency }),
        ...(input.stock !== undefined && { stock: input.stock }),
        ...(input.status !== undefined && { status: input.status }),
        updated_at: new Date(),
      })
      .where("id", "=", before.id)
      .executeTakeFirst();
    if (updated.numUpdatedRows !== 1n) throw productNotFound(); // deleted with its seller since it was read
    if (input.categories !== undefined) {
      await tx.deleteFrom("product_categories").where("product_id", "=", before.id).execute();
      await addCategories(tx, before.id, input.categories);
    }
    return (await readProduct(tx, before.id))!;
  });
  return success(toProduct(row), "Product updated.");
}

/** DELETE archives: the product leaves the catalog, and orders that name it keep their own snapshot. */
export async function archiveProduct({ ctx, input }: Call<typeof idInput>) {
  const row = await ctx.services.db.transaction(async (tx) => {
    const before = await managedProduct(tx, input.id, ctx.auth.user);
    if (before.status === "archived") return before;
    const updated = await tx.updateTable("products").set({ status: "archived", updated_at: new Date() }).where("id", "=", before.id).executeTakeFirst();
    if (updated.numUpdatedRows !== 1n) throw productNotFound();
    return (await readProduct(tx, before.id))!;
  });
  return success(toProduct(row), "Product archived.");
}
