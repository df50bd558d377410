import { randomUUID } from "node:crypto";
import { success } from "../../envelope.ts";
import { searchText } from "../../search.ts";
import type { AuthedCall as Call, ViewerCall } from "../../trpc.ts";
import { managedProduct, PRODUCT_INCLUDE, toProduct, visibleProduct } from "./access.ts";
import { type createInput, type idInput, normalizeCategories, type updateInput } from "./products.schema.ts";

export async function createProduct({ ctx, input }: Call<typeof createInput>) {
  const now = new Date();
  const row = await ctx.services.db.prisma.product.create({
    data: {
      id: randomUUID(),
      sellerId: ctx.auth.user.id,
      name: input.name,
      description: input.description,
      priceCents: input.price_cents,
      currency: input.currency,
      stock: input.stock,
      nameSearch: searchText(input.name),
      descriptionSearch: searchText(input.description),
      createdAt: now,
      updatedAt: now,
      categories: { create: normalizeCategories(input.categories).map((name) => ({ name })) },
    },
    include: PRODUCT_INCLUDE,
  });
  return success(toProduct(row), "Product created.");
}

export async function getProduct({ ctx, input }: ViewerCall<typeof idInput>) {
  return success(toProduct(await visibleProduct(ctx.services.db.prisma, input.id, ctx.auth?.user ?? null)));
}

/** PUT and PATCH: only the fields sent change (categories are replaced as a whole), in one transaction. */
export async function updateProduct({ ctx, input }: Call<typeof updateInput>) {
  const row = await ctx.services.db.prisma.$transaction(async (tx) => {
    const before = await managedProduct(tx, input.id, ctx.auth.user);
    if (input.categories !== undefined) {
      await tx.productCategory.deleteMany({ where: { productId: before.id } });
      await tx.productCategory.createMany({ data: normalizeCategories(input.categories).map((name) => ({ productId: before.id, name })) });
    }
    return tx.product.update({
      where: { id: before.id },
      data: {
        ...(input.name !== undefined && { name: input.name, nameSearch: searchText(input.name) }),
        ...(input.description !== undefined && { description: input.description, descriptionSearch: searchText(input.description) }),
        ...(input.price_cents !== undefined && { priceCents: input.price_cents }),
        ...(input.currency !== undefined && { currency: input.currency }),
        ...(input.stock !== undefined && { stock: input.stock }),
        ...(input.status !== undefined && { status: input.status }),
        updatedAt: new Date(),
      },
      include: PRODUCT_INCLUDE,
    });
  });
  return success(toProduct(row), "Product updated.");
}

/** DELETE archives: the product leaves the catalog, and orders that name it keep their own snapshot. */
export async function archiveProduct({ ctx, input }: Call<typeof idInput>) {
  const row = await ctx.services.db.prisma.$transaction(async (tx) => {
    const before = await managedProduct(tx, input.id, ctx.auth.user);
    if (before.status === "archived") return before;
    return tx.product.update({ where: { id: before.id }, data: { status: "archived", updatedAt: new Date() }, include: PRODUCT_INCLUDE });
  });
  return success(toProduct(row), "Product archived.");
}
