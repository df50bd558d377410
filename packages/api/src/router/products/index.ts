import { protectedProcedure, publicProcedure, router, sellerProcedure, viewerProcedure } from "../../trpc.ts";
import { deleteImage } from "./images.handler.ts";
import { deletedImageOutput, imageIdInput } from "./images.schema.ts";
import { listProducts } from "./list.handler.ts";
import { archiveProduct, createProduct, getProduct, updateProduct } from "./products.handler.ts";
import {
  archivedOutput, createdOutput, createInput, idInput, listInput, listOutput, productOutput, updatedOutput, updateInput,
} from "./products.schema.ts";

const tags = ["products"];

const update = (method: "PUT" | "PATCH", summary: string) =>
  protectedProcedure
    .meta({
      openapi: {
        method,
        path: "/products/{id}",
        tags,
        summary,
        description:
          "Its seller or an admin. Anyone else gets 404 PRODUCT_NOT_FOUND, as for a product that does not exist. A product " +
          "an admin archived stays archived until an admin makes it active: its seller's status=active is 403 FORBIDDEN.",
      },
      errors: ["INVALID_REQUEST", "PRODUCT_NOT_FOUND", "FORBIDDEN"],
    })
    .input(updateInput)
    .output(updatedOutput)
    .mutation(updateProduct);

// POST /products/{id}/images (multipart upload) and GET /images/{image_id} (the bytes) are plain HTTP routes of
// apps/server, not procedures: listed in apps/server/src/http/rest/routes.ts (httpRoutes) and served by
// apps/server/src/http/rest/images.ts, with the steps of ./images.handler.ts.
export const productsRouter = router({
  list: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/products",
        tags,
        summary: "The catalog: active products, filtered and sorted, one page at a time",
        description:
          "Keyset pagination: pass next_cursor as cursor for the next page, with the same sort and filters " +
          "(a cursor of another sort is 400). Every product appears once even while products are added or archived between pages.",
        protect: false,
      },
      errors: ["INVALID_REQUEST"],
    })
    .input(listInput)
    .output(listOutput)
    .query(listProducts),

  get: viewerProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/products/{id}",
        tags,
        summary: "One product",
        description:
          "Anyone; no token needed. An archived product is 404 PRODUCT_NOT_FOUND except to its seller and admins, " +
          "who must send their token (a token that is sent must be valid: 401 INVALID_TOKEN otherwise).",
        protect: false,
      },
      errors: ["INVALID_TOKEN", "PRODUCT_NOT_FOUND"],
    })
    .input(idInput)
    .output(productOutput)
    .query(getProduct),

  create: sellerProcedure
    .meta({
      openapi: { method: "POST", path: "/products", tags, summary: "Create a product (sellers only)" },
      successStatus: 201,
      errors: ["FORBIDDEN", "INVALID_REQUEST", "QUOTA_EXCEEDED"],
    })
    .input(createInput)
    .output(createdOutput)
    .mutation(createProduct),

  update: update("PUT", "Update a product: any subset of its fields"),
  patch: update("PATCH", "Update a product: any subset of its fields (same as PUT)"),

  delete: protectedProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/products/{id}",
        tags,
        summary: "Archive a product",
        description:
          "Its seller or an admin. The product leaves the catalog (status archived) but is not erased: orders keep their " +
          "snapshot, and PATCH status=active puts it back. Anyone else gets 404 PRODUCT_NOT_FOUND.",
      },
      errors: ["PRODUCT_NOT_FOUND"],
    })
    .input(idInput)
    .output(archivedOutput)
    .mutation(archiveProduct),

  images: router({
    delete: protectedProcedure
      .meta({
        openapi: {
          method: "DELETE",
          path: "/products/{id}/images/{image_id}",
          tags,
          summary: "Delete one of a product's images",
          description: "Its seller or an admin; anyone else gets 404 PRODUCT_NOT_FOUND.",
        },
        errors: ["PRODUCT_NOT_FOUND", "IMAGE_NOT_FOUND"],
      })
      .input(imageIdInput)
      .output(deletedImageOutput)
      .mutation(deleteImage),
  }),
});
