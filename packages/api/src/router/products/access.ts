import type { Transaction } from "@tessera/db";
import { AppError } from "../../envelope.ts";
import type { Context } from "../../trpc.ts";
import type { Product, ProductStatus } from "./products.schema.ts";

/**
 * Who may see and change a product (API-MARKET.md): everyone sees active products; an archived one shows only
 * to its seller and admins; only its seller and admins change it. Everyone else gets PRODUCT_NOT_FOUND, the
 * same answer as for an id that names nothing, so nothing leaks.
 */

/** What every product read includes to answer with the contract's shape. */
export const PRODUCT_INCLUDE = {
  seller: { select: { storeName: true } },
  categories: { orderBy: { name: "asc" } },
  images: { orderBy: { position: "asc" } },
} as const;

type Db = Context["services"]["db"]["prisma"] | Transaction;
export type ProductRow = NonNullable<Awaited<ReturnType<typeof findProduct>>>;

/** Who is asking, as far as products care. */
export interface Viewer {
  id: string;
  role: string;
}

// Ids are what randomUUID() makes; anything else cannot be a product and is answered like a missing one.
const PRODUCT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const productNotFound = () => new AppError("PRODUCT_NOT_FOUND", "Product not found.");

export const imageUrl = (imageId: string) => `/api/images/${imageId}`;

export const toProduct = (row: ProductRow): Product => ({
  id: row.id,
  seller: { user_id: row.sellerId, store_name: row.seller.storeName },
  name: row.name,
  description: row.description,
  price_cents: row.priceCents,
  currency: row.currency,
  stock: row.stock,
  categories: row.categories.map((category) => category.name),
  images: row.images.map((image) => ({ image_id: image.id, url: imageUrl(image.id) })),
  status: row.status as ProductStatus,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});

const findProduct = (db: Db, id: string) => db.product.findUnique({ where: { id }, include: PRODUCT_INCLUDE });

/** Its seller and admins manage a product (admins moderate: edit, archive, delete images). */
export const manages = (viewer: Viewer | null, product: { sellerId: string }) =>
  viewer !== null && (viewer.role === "admin" || viewer.id === product.sellerId);

/** A product the viewer may see: active, or archived and theirs to manage. */
export async function visibleProduct(db: Db, id: string, viewer: Viewer | null): Promise<ProductRow> {
  const row = PRODUCT_ID.test(id) ? await findProduct(db, id) : null;
  if (!row || (row.status !== "active" && !manages(viewer, row))) throw productNotFound();
  return row;
}

/** A product the viewer may change: its seller's or, for admins, any. */
export async function managedProduct(db: Db, id: string, viewer: Viewer): Promise<ProductRow> {
  const row = PRODUCT_ID.test(id) ? await findProduct(db, id) : null;
  if (!row || !manages(viewer, row)) throw productNotFound();
  return row;
}
