/** Products, stock, webhooks and paid orders for the createCaller tests of cart, checkout, payments and orders. */
import { randomUUID } from "node:crypto";
import { AppError, httpStatusOf } from "../envelope.ts";
import { searchText } from "../search.ts";
import type { WebhookSender } from "../services/payments/simulator.ts";
import type { Services } from "../services/index.ts";
import { account } from "./accounts.ts";
import type { TestEnv } from "./services.ts";

/** Anything that holds the services: a createCaller TestEnv, or the HTTP tests' TestServer. */
type WithDatabase = { services: Pick<Services, "db"> };

export interface ProductSpec {
  name?: string;
  priceCents?: number;
  currency?: string;
  stock?: number;
  status?: "active" | "archived";
}

/** A product of `sellerId`, written straight to the database: quick, and in any state a test needs. */
export async function product(env: WithDatabase, sellerId: string, spec: ProductSpec = {}) {
  const now = new Date();
  const name = spec.name ?? `Product ${randomUUID().slice(0, 6)}`;
  const row = {
    id: randomUUID(),
    seller_id: sellerId,
    name,
    description: "",
    price_cents: spec.priceCents ?? 1000,
    currency: spec.currency ?? "USD",
    stock: spec.stock ?? 10,
    status: spec.status ?? "active",
    name_search: searchText(name),
    description_search: "",
    created_at: now,
    updated_at: now,
  };
  await env.services.db.kysely.insertInto("products").values(row).execute();
  return row;
}

export const stockOf = async (env: WithDatabase, productId: string) =>
  (await env.services.db.kysely.selectFrom("products").select("stock").where("id", "=", productId).executeTakeFirstOrThrow()).stock;

/** Webhook deliveries through createCaller: the signed bytes as the request body, as a REST request hands them on. */
export const viaCaller = (env: TestEnv): WebhookSender => async (body, signature) => {
  try {
    await env.caller({ body: Buffer.from(body), headers: { "tessera-signature": signature } }).payments.webhook(JSON.parse(body));
    return 200;
  } catch (error) {
    return error instanceof AppError ? httpStatusOf(error.appCode) : 500;
  }
};

/** A buyer with a paid order of one product (quantity units) from `sellerId`. */
export async function paidOrder(env: TestEnv, sellerId: string, quantity = 1, spec: ProductSpec = {}) {
  const buyer = await account(env, { role: "buyer" });
  const item = await product(env, sellerId, spec);
  await buyer.caller.cart.add({ product_id: item.id, quantity });
  const [order] = (await buyer.withKey(randomUUID()).checkout.place({ payment_method: "pm_card_visa" })).data.orders;
  return { buyer, product: item, order: order! };
}
