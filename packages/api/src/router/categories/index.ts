import { publicProcedure, router } from "../../trpc.ts";
import { listCategories } from "./categories.handler.ts";
import { categoriesOutput } from "./categories.schema.ts";

export const categoriesRouter = router({
  list: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/categories",
        tags: ["products"],
        summary: "Categories in use by active products, with counts, ordered by name",
        description: "Not paged: the whole list in `items`.",
        protect: false,
      },
    })
    .output(categoriesOutput)
    .query(listCategories),
});
