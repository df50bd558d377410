import { publicProcedure, router } from "../../trpc.ts";
import { listCategories, MAX_CATEGORIES_LISTED } from "./categories.handler.ts";
import { categoriesOutput } from "./categories.schema.ts";

export const categoriesRouter = router({
  list: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/categories",
        tags: ["products"],
        summary: "Categories in use by active products, with counts, ordered by name",
        description:
          `Not paged: \`items\` holds at most ${MAX_CATEGORIES_LISTED} categories, those with the most active products (ties by ` +
          "name), ordered by name. Counts may lag other server processes' writes by a few seconds.",
        protect: false,
      },
    })
    .output(categoriesOutput)
    .query(listCategories),
});
