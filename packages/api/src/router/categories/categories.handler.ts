import type { Database } from "@tessera/db";
import { success } from "../../envelope.ts";
import type { Context } from "../../trpc.ts";

/**
 * Most categories answered. The contract's list is not paged, and every seller may invent ten per product, so the
 * answer keeps the most used: at most this many, the ones with the most active products (ties by name).
 */
export const MAX_CATEGORIES_LISTED = 200;

/**
 * How long an answer may be reused. Counting is an aggregate over every category row of every active product (tens
 * of milliseconds at 100,000 rows), the same for every caller: a process computes it once and reuses it until it
 * writes to products or their categories itself (the write watch of @tessera/db) or this long has passed (another
 * process's writes).
 */
const REUSE_MS = 5_000;

type Categories = { name: string; count: number }[];

/** The most used categories of active products, by name (code-point order on both databases). */
async function countCategories(db: Database): Promise<Categories> {
  const mostUsed = db.kysely
    .selectFrom("product_categories")
    .innerJoin("products", "products.id", "product_categories.product_id")
    .select((eb) => ["product_categories.name", eb.fn.countAll<number>().as("count")])
    .where("products.status", "=", "active")
    .groupBy("product_categories.name")
    .orderBy("count", "desc")
    .orderBy("product_categories.name")
    .limit(MAX_CATEGORIES_LISTED);
  const groups = await db.kysely.selectFrom(mostUsed.as("used")).selectAll().orderBy("used.name").execute();
  return groups.map((group) => ({ name: group.name, count: Number(group.count) }));
}

interface Reuse {
  answer?: Promise<Categories>;
  at: number;
}

/** One reusable answer per database (a process has one; tests make many). */
const reuse = new WeakMap<Database, Reuse>();

function categoriesOf(db: Database): Promise<Categories> {
  let entry = reuse.get(db);
  if (!entry) {
    const created: Reuse = { at: 0 };
    db.onWrite(["products", "product_categories", "users"], () => (created.answer = undefined)); // users: deleting one deletes their products
    reuse.set(db, (entry = created));
  }
  const current = entry;
  if (!current.answer || Date.now() - current.at > REUSE_MS) {
    // Concurrent callers (a batch of twenty) share the one computation in flight.
    const answer = countCategories(db);
    current.answer = answer;
    current.at = Date.now();
    answer.catch(() => current.answer === answer && (current.answer = undefined));
  }
  return current.answer;
}

export async function listCategories({ ctx }: { ctx: Context }) {
  return success({ items: await categoriesOf(ctx.services.db) });
}
