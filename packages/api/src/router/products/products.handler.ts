import { randomUUID } from "node:crypto";
import type { Transaction } from "@tessera/db";
import { AppError, success } from "../../envelope.ts";
import { searchText } from "../../search.ts";
import type { AuthedCall, ViewerCall } from "../../trpc.ts";
import { managedProduct, productNotFound, type ProductRow, readProduct, toProduct, type Viewer, visibleProduct } from "./access.ts";
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
export async function createProduct({ ctx, input }: AuthedCall<typeof createInput>) {
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

/**
 * Moderation sticks (issue 16, item 11): a product archived by someone other than its seller (an admin) is made
 * active again only by an admin. `archived_by` says who archived it; null on products archived before it existed.
 */
const moderated = (product: { archived_by: string | null; seller_id: string }) =>
  product.archived_by !== null && product.archived_by !== product.seller_id;

const moderationRefused = () =>
  new AppError("FORBIDDEN", "An administrator archived this product: only an administrator can make it active again.");

/**
 * The status columns a write asks for, from what the product is now and who asks. Archiving records who did it
 * (an admin archiving a product its seller had archived too, so that the decision is the admin's from then on);
 * activating clears it, and is refused to the seller of a product an admin archived.
 */
function statusChange(before: ProductRow, to: "active" | "archived" | undefined, actor: Viewer) {
  const admin = actor.role === "admin";
  if (to === "archived") {
    if (before.status === "archived" && !(admin && !moderated(before))) return {};
    return { status: "archived", archived_by: actor.id };
  }
  if (to === "active" && before.status === "archived") {
    if (moderated(before) && !admin) throw moderationRefused();
    return { status: "active", archived_by: null };
  }
  return {};
}

/**
 * One conditional UPDATE of the product. A seller's write that reactivates it also requires, in the same
 * statement, that no admin archived it meanwhile (PostgreSQL re-checks that on the row it waited for).
 */
async function writeProduct(tx: Transaction, before: ProductRow, actor: Viewer, set: Record<string, unknown>) {
  let update = tx.updateTable("products").set({ ...set, updated_at: new Date() }).where("id", "=", before.id);
  if (set.status === "active" && actor.role !== "admin") {
    update = update.where((eb) => eb.or([eb("archived_by", "is", null), eb("archived_by", "=", eb.ref("seller_id"))]));
  }
  const { numUpdatedRows } = await update.executeTakeFirst();
  if (numUpdatedRows === 1n) return;
  // deleted with its seller since it was read, or archived by an admin in between
  if (set.status === "active" && (await readProduct(tx, before.id))) throw moderationRefused();
  throw productNotFound();
}

/** PUT and PATCH: only the fields sent change (categories are replaced as a whole), in one transaction. */
export async function updateProduct({ ctx, input }: AuthedCall<typeof updateInput>) {
  const row = await ctx.services.db.transaction(async (tx) => {
    const before = await managedProduct(tx, input.id, ctx.auth.user);
    // The product's row first: its row lock (PostgreSQL) makes concurrent updates of one product take turns, so two
    // replacements of its categories cannot interleave their deletes and inserts.
    await writeProduct(tx, before, ctx.auth.user, {
      ...(input.name !== undefined && { name: input.name, name_search: searchText(input.name) }),
      ...(input.description !== undefined && { description: input.description, description_search: searchText(input.description) }),
      ...(input.price_cents !== undefined && { price_cents: input.price_cents }),
      ...(input.currency !== undefined && { currency: input.currency }),
      ...(input.stock !== undefined && { stock: input.stock }),
      ...statusChange(before, input.status, ctx.auth.user),
    });
    if (input.categories !== undefined) {
      await tx.deleteFrom("product_categories").where("product_id", "=", before.id).execute();
      await addCategories(tx, before.id, input.categories);
    }
    return (await readProduct(tx, before.id))!;
  });
  return success(toProduct(row), "Product updated.");
}

/** DELETE archives: the product leaves the catalog, and orders that name it keep their own snapshot. */
export async function archiveProduct({ ctx, input }: AuthedCall<typeof idInput>) {
  const row = await ctx.services.db.transaction(async (tx) => {
    const before = await managedProduct(tx, input.id, ctx.auth.user);
    const change = statusChange(before, "archived", ctx.auth.user);
    if (!("status" in change)) return before;
    await writeProduct(tx, before, ctx.auth.user, change);
    return (await readProduct(tx, before.id))!;
  });
  return success(toProduct(row), "Product archived.");
}
