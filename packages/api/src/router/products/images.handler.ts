import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { z } from "zod";
import { AppError, done, success } from "../../envelope.ts";
import { type AuthedCall as Call, authenticate, type Caller, type Context } from "../../trpc.ts";
import { imageUrl, managedProduct, productNotFound } from "./access.ts";
import { streamImage } from "./image-bytes.ts";
import { type imageIdInput, MAX_IMAGES_PER_PRODUCT, type uploadedImageOutput } from "./images.schema.ts";

/**
 * Product images. Deleting is a procedure; uploading (multipart) and reading (bytes) are plain HTTP routes of
 * apps/server that call the steps below, in the contract's order: authentication, role, validation, existence.
 */

const IMAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const imageNotFound = () => new AppError("IMAGE_NOT_FOUND", "Image not found.");
const tooManyImages = () => new AppError("TOO_MANY_IMAGES", `A product has at most ${MAX_IMAGES_PER_PRODUCT} images: delete one first.`);

/** Its seller or an admin removes an image: the row first (readers stop finding it), then the bytes. */
export async function deleteImage({ ctx, input }: Call<typeof imageIdInput>) {
  const product = await managedProduct(ctx.services.db.prisma, input.id, ctx.auth.user);
  if (!IMAGE_ID.test(input.image_id)) throw imageNotFound();
  const image = await ctx.services.db.prisma.productImage.findFirst({ where: { id: input.image_id, productId: product.id } });
  if (!image) throw imageNotFound();
  await ctx.services.db.prisma.productImage.deleteMany({ where: { id: image.id } });
  await ctx.services.images.remove(image.storageKey);
  return done("Image deleted.");
}

/** Upload, step 1: the caller must be a seller (admins moderate, they do not upload). 401, 403. */
export async function authorizeImageUpload(ctx: Context): Promise<Caller> {
  const caller = await authenticate(ctx);
  if (caller.user.role !== "seller") throw new AppError("FORBIDDEN", "Only the product's seller uploads its images.");
  return caller;
}

/** Upload, step 2, after the body's type was checked: the caller's own product, with room for one more image. 404, 409. */
export async function productForUpload(ctx: Context, caller: Caller, productId: string): Promise<{ id: string }> {
  const product = await managedProduct(ctx.services.db.prisma, productId, caller.user);
  // Admins pass managedProduct, but they never reach this step (authorizeImageUpload): this is the seller's own.
  if (product.sellerId !== caller.user.id) throw productNotFound();
  if (product.images.length >= MAX_IMAGES_PER_PRODUCT) throw tooManyImages();
  return { id: product.id };
}

/**
 * Upload, step 3: streams the file into storage (415 not an image, 413 over 5 MiB), then records it as the
 * product's last image. The count is checked again under the product's row lock (a no-op update takes it on
 * PostgreSQL; SQLite has one writer), so concurrent uploads never make a ninth.
 */
export async function storeImage(
  ctx: Context,
  productId: string,
  file: AsyncIterable<Uint8Array>,
): Promise<z.infer<typeof uploadedImageOutput>> {
  const id = randomUUID();
  const bytes = await streamImage(ctx.services.images, id, file);
  try {
    await ctx.services.db.prisma.$transaction(async (tx) => {
      const locked = await tx.product.updateMany({ where: { id: productId }, data: { updatedAt: new Date() } });
      if (locked.count === 0) throw productNotFound(); // archived is fine, but it was deleted with its seller meanwhile
      const images = await tx.productImage.findMany({ where: { productId }, select: { position: true }, orderBy: { position: "desc" } });
      if (images.length >= MAX_IMAGES_PER_PRODUCT) throw tooManyImages();
      await tx.productImage.create({
        data: { id, productId, storageKey: id, ...bytes, position: (images[0]?.position ?? -1) + 1, createdAt: new Date() },
      });
    });
  } catch (error) {
    await ctx.services.images.remove(id);
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
  const image = IMAGE_ID.test(imageId) ? await ctx.services.db.prisma.productImage.findUnique({ where: { id: imageId } }) : null;
  if (!image) throw imageNotFound();
  return {
    contentType: image.contentType,
    byteSize: image.byteSize,
    etag: `"${image.sha256}"`,
    async open() {
      const stream = await ctx.services.images.read(image.storageKey);
      if (!stream) throw imageNotFound(); // deleted between the lookup and the read
      return stream;
    },
  };
}
