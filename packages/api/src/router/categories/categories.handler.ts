import { success } from "../../envelope.ts";
import type { Context } from "../../trpc.ts";

/** Every category in use by active products, with how many, by name (code-point order on both databases). */
export async function listCategories({ ctx }: { ctx: Context }) {
  const groups = await ctx.services.db.kysely
    .selectFrom("product_categories")
    .innerJoin("products", "products.id", "product_categories.product_id")
    .select((eb) => ["product_categories.name", eb.fn.countAll<number>().as("count")])
    .where("products.status", "=", "active")
    .groupBy("product_categories.name")
    .orderBy("product_categories.name")
    .execute();
  return success({ items: groups.map((group) => ({ name: group.name, count: Number(group.count) })) });
}
