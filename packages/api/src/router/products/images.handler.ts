import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { z } from "zod";
import { AppError, done, success } from "../../envelope.ts";
import { isUuid } from "../../ids.ts";
import { type AuthedCall, authenticate, type Context, type Identity } from "../../trpc.ts";
import { imageUrl, managedProduct, productNotFound } from "./access.ts";
import { ImageStorageUnavailable } from "../../services/image-storage.ts";
import { streamImage } from "./image-bytes.ts";
import { type imageIdInput, MAX_IMAGES_PER_PRODUCT, type uploadedImageOutput } from "./images.schema.ts";

/**
 * Product images. Deleting is a procedure; uploading (multipart) and reading (bytes) are plain HTTP routes of
 * apps/server that call the steps below, in the contract's order: authentication, role, validation, existence.
 */

/**
 * A storage backend that does not answer (S3 down, bad credentials, a missing bucket) is 503 NOT_READY for the
 * client, who may retry, and one error line with the backend's own reason for the operator.
 */
async function storageCall<T>(ctx: Context, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ImageStorageUnavailable)) throw error;
    ctx.services.logger.error({ err: error, reqId: ctx.request.requestId }, `image storage unavailable (${what}): ${error.message}`);
    throw new AppError("NOT_READY", "Image storage is unavailable: try again later.");
  }
}

const imageNotFound = () => new AppError("IMAGE_NOT_FOUND", "Image not found.");
const tooManyImages = () => new AppError("TOO_MANY_IMAGES", `A product has at most ${MAX_IMAGES_PER_PRODUCT} images: delete one first.`);

/** Its seller or an admin removes an image: the row first (readers stop finding it), then the bytes. */
export async function deleteImage({ ctx, input }: AuthedCall<typeof imageIdInput>) {
  const product = await managedProduct(ctx.services.db.kysely, input.id, ctx.auth.user);
  if (!isUuid(input.image_id)) throw imageNotFound();
  const image = await ctx.services.db.kysely
    .deleteFrom("product_images")
    .where("id", "=", input.image_id)
    .where("product_id", "=", product.id)
    .returning("storage_key")
    .executeTakeFirst();
  if (!image) throw imageNotFound();
  // The row is gone (committed): the bytes go now, or, if the storage fails, with the image sweep's next run.
  await ctx.services.imageSweep.removeOrphans([image.storage_key]);
  return done("Image deleted.");
}

/**
 * Upload, step 1: authentication (401), and the one role refused outright: admins moderate but do not upload (403;
 * they may see every product, so refusing them leaks nothing). Anyone else who is not the product's seller learns
 * nothing more than for a product that does not exist: 404 at step 2 (docs/contract.md, no existence leak).
 */
export async function authorizeImageUpload(ctx: Context): Promise<Identity> {
  const identity = await authenticate(ctx);
  if (identity.user.role === "admin") throw new AppError("FORBIDDEN", "Admins do not upload images: only the product's seller does.");
  return identity;
}

/**
 * Upload, step 2, after the body's type was checked: a product the caller sells (a seller's own), with room for one
 * more image. 404 PRODUCT_NOT_FOUND for every other caller and for a product that does not exist, alike; 409.
 */
export async function productForUpload(ctx: Context, identity: Identity, productId: string): Promise<{ id: string }> {
  const product = await managedProduct(ctx.services.db.kysely, productId, identity.user);
  // managedProduct also lets admins through (they never get here: step 1); a former seller whose role was changed
  // keeps the seller_id of their products but no longer sells: not found either.
  if (identity.user.role !== "seller" || product.seller_id !== identity.user.id) throw productNotFound();
  if (product.image_ids.length >= MAX_IMAGES_PER_PRODUCT) throw tooManyImages();
  return { id: product.id };
}

/**
 * Upload, step 3: streams the file into storage (415 not a well-formed PNG, JPEG or WebP within the pixel limit,
 * 413 over 5 MiB, 503 the storage does not answer), then records it as the product's last image. The count is
 * checked again under the product's row lock (a no-op update takes it on PostgreSQL; SQLite has one writer), so
 * concurrent uploads never make a ninth.
 */
export async function storeImage(
  ctx: Context,
  productId: string,
  file: AsyncIterable<Uint8Array>,
): Promise<z.infer<typeof uploadedImageOutput>> {
  const id = randomUUID();
  const bytes = await storageCall(ctx, "store", () => streamImage(ctx.services.images, id, file, { maxPixels: ctx.services.imageMaxPixels }));
  try {
    // Database work only: db.transaction may run it again after a conflict; the bytes are already stored.
    await ctx.services.db.transaction(async (tx) => {
      const locked = await tx.updateTable("products").set({ updated_at: new Date() }).where("id", "=", productId).executeTakeFirst();
      if (locked.numUpdatedRows === 0n) throw productNotFound(); // archived is fine, but it was deleted with its seller meanwhile
      const images = await tx.selectFrom("product_images").select("position").where("product_id", "=", productId).orderBy("position", "desc").execute();
      if (images.length >= MAX_IMAGES_PER_PRODUCT) throw tooManyImages();
      await tx
        .insertInto("product_images")
        .values({
          id,
          product_id: productId,
          storage_key: id,
          content_type: bytes.contentType,
          byte_size: bytes.byteSize,
          sha256: bytes.sha256,
          position: (images[0]?.position ?? -1) + 1,
          created_at: new Date(),
        })
        .execute();
    });
  } catch (error) {
    // Refused (an AppError): the transaction rolled back, so the bytes go now. Anything else (a lost connection)
    // may have committed: the image sweep removes the bytes later if, and only if, no row names them.
    if (error instanceof AppError) await ctx.services.imageSweep.removeOrphans([id]);
    throw error;
  }
  return success({ image_id: id, url: imageUrl(id) }, "Image uploaded.");
}

export interface ImageForRead {
  contentType: string;
  byteSize: number;
  /** A strong ETag: the quoted sha256 of the bytes. */
  etag: string;
  open(): Promise<Readable>;
}

/** GET /api/images/{image_id}: anyone. 404 IMAGE_NOT_FOUND for an unknown (or malformed) id. */
export async function imageForRead(ctx: Context, imageId: string): Promise<ImageForRead> {
  const image = isUuid(imageId)
    ? await ctx.services.db.kysely
      .selectFrom("product_images")
      .select(["content_type", "byte_size", "sha256", "storage_key"])
      .where("id", "=", imageId)
      .executeTakeFirst()
    : undefined;
  if (!image) throw imageNotFound();
  return {
    contentType: image.content_type,
    byteSize: image.byte_size,
    etag: `"${image.sha256}"`,
    async open() {
      const stream = await storageCall(ctx, "read", () => ctx.services.images.read(image.storage_key));
      if (!stream) throw imageNotFound(); // deleted between the lookup and the read
      return stream;
    },
  };
}
