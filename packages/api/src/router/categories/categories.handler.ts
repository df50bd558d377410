import { success } from "../../envelope.ts";
import type { Context } from "../../trpc.ts";

/** Every category in use by active products, with how many, by name (code-point order on both databases). */
export async function listCategories({ ctx }: { ctx: Context }) {
  const groups = await ctx.services.db.prisma.productCategory.groupBy({
    by: ["name"],
    where: { product: { status: "active" } },
    _count: { _all: true },
    orderBy: { name: "asc" },
  });
  return success({ items: groups.map((group) => ({ name: group.name, count: group._count._all })) });
}
