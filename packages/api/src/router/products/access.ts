import type { Executor, Tables } from "@tessera/db";
import type { Selectable } from "kysely";
import { AppError } from "../../envelope.ts";
import { groupBy } from "../../group.ts";
import { isUuid } from "../../ids.ts";
import type { Product, ProductStatus } from "./products.schema.ts";

/**
 * Who may see and change a product (docs/contract.md): everyone sees active products; an archived one shows only
 * to its seller and admins; only its seller and admins change it. Everyone else gets PRODUCT_NOT_FOUND, the
 * same answer as for an id that names nothing, so nothing leaks.
 */

/** A products row with its seller's store name, as `productsWithSeller` reads it. */
export type ProductRecord = Selectable<Tables["products"]> & { store_name: string | null };

/** What every product read has to answer with the contract's shape: the row, its categories and its image ids. */
export type ProductRow = ProductRecord & { categories: string[]; image_ids: string[] };

/** Who is asking, as far as products care. */
export interface Viewer {
  id: string;
  role: string;
}

export const productNotFound = () => new AppError("PRODUCT_NOT_FOUND", "Product not found.");

export const imageUrl = (imageId: string) => `/api/images/${imageId}`;

export const toProduct = (row: ProductRow): Product => ({
  id: row.id,
  seller: { user_id: row.seller_id, store_name: row.store_name },
  name: row.name,
  description: row.description,
  price_cents: row.price_cents,
  currency: row.currency,
  stock: row.stock,
  categories: row.categories,
  images: row.image_ids.map((id) => ({ image_id: id, url: imageUrl(id) })),
  status: row.status as ProductStatus,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

/**
 * The products table with each row's seller's store name (a subquery, not a join: the products' columns stay
 * unambiguous for the filters and orderings a caller adds).
 */
export const productsWithSeller = (db: Executor) =>
  db
    .selectFrom("products")
    .selectAll("products")
    .select((eb) => eb.selectFrom("users").select("users.store_name").whereRef("users.id", "=", "products.seller_id").as("store_name"));

/** Adds each product's categories (by name, code-point order on both databases) and images (by position): one query each. */
export async function withDetails(db: Executor, records: ProductRecord[]): Promise<ProductRow[]> {
  if (records.length === 0) return [];
  const ids = records.map((record) => record.id);
  const categories = await db.selectFrom("product_categories").select(["product_id", "name"]).where("product_id", "in", ids).orderBy("name").execute();
  const images = await db.selectFrom("product_images").select(["product_id", "id"]).where("product_id", "in", ids).orderBy("position").execute();
  const namesOf = groupBy(categories, (category) => category.product_id, (category) => category.name);
  const imagesOf = groupBy(images, (image) => image.product_id, (image) => image.id);
  return records.map((record) => ({ ...record, categories: namesOf.get(record.id) ?? [], image_ids: imagesOf.get(record.id) ?? [] }));
}

/** The product with this id, with everything it is answered with. */
export async function readProduct(db: Executor, id: string): Promise<ProductRow | undefined> {
  const record = await productsWithSeller(db).where("products.id", "=", id).executeTakeFirst();
  return record && (await withDetails(db, [record]))[0];
}

/** Its seller and admins manage a product (admins moderate: edit, archive, delete images). */
export const manages = (viewer: Viewer | null, product: { seller_id: string }) =>
  viewer !== null && (viewer.role === "admin" || viewer.id === product.seller_id);

/** A product the viewer may see: active, or archived and theirs to manage. */
export async function visibleProduct(db: Executor, id: string, viewer: Viewer | null): Promise<ProductRow> {
  // A malformed id (not a UUID) cannot be a product and is answered like a missing one.
  const row = isUuid(id) ? await readProduct(db, id) : undefined;
  if (!row || (row.status !== "active" && !manages(viewer, row))) throw productNotFound();
  return row;
}

/** A product the viewer may change: its seller's or, for admins, any. */
export async function managedProduct(db: Executor, id: string, viewer: Viewer): Promise<ProductRow> {
  const row = isUuid(id) ? await readProduct(db, id) : undefined;
  if (!row || !manages(viewer, row)) throw productNotFound();
  return row;
}
