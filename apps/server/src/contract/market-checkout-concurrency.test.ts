/**
 * Stock and money under concurrency, over real HTTP, on the database DATABASE_URL names (SQLite by default,
 * PostgreSQL in CI's second run): 50 buyers check out the last 10 units at once; 20 identical requests share one
 * Idempotency-Key. No oversell, no charge without an order, no order without a charge, no second charge.
 */
import { randomUUID } from "node:crypto";
import type { PaymentSimulator } from "@tessera/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, expectSuccess } from "../testing/http.ts";
import { addToCart, checkout, createProduct, stockOf } from "../testing/market.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { account } from "../testing/accounts.ts";

const BUYERS = 50;
const STOCK = 10;
const database = process.env.DATABASE_URL?.startsWith("postgres") ? "PostgreSQL" : "SQLite";

let server: TestServer;
let simulator: PaymentSimulator;
beforeAll(async () => {
  server = await startTestServer();
  simulator = server.services.payments as PaymentSimulator;
});
afterAll(() => server.stop());

describe(`concurrent checkouts (${database})`, { timeout: 180_000 }, () => {
  it(`sells exactly ${STOCK} units to ${BUYERS} buyers checking out at once, each paid order charged once`, async () => {
    const shop = await account(server, { role: "seller" });
    const product = await createProduct(server, shop.id, { stock: STOCK, priceCents: 4200 });
    const buyers = await Promise.all(Array.from({ length: BUYERS }, () => account(server)));
    for (const buyer of buyers) expectSuccess(await addToCart(server, buyer.token, product.id, 1));
    const chargesBefore = simulator.charges().length;

    const started = Date.now();
    const replies = await Promise.all(buyers.map((buyer) => checkout(server, buyer.token)));
    const elapsed = Date.now() - started;

    const paid = replies.filter((reply) => reply.status === 201);
    const refused = replies.filter((reply) => reply.status !== 201);
    console.log(`[concurrency ${database}] ${BUYERS} checkouts for ${STOCK} units in ${elapsed} ms: ${paid.length} × 201, ` +
      `${refused.filter((r) => r.body?.code === "INSUFFICIENT_STOCK").length} × 409 INSUFFICIENT_STOCK, stock left ${await stockOf(server, product.id)}`);
    expect(paid).toHaveLength(STOCK);
    for (const reply of paid) expect(reply.body.data.orders.map((o: { status: string }) => o.status)).toEqual(["paid"]);
    expect(refused).toHaveLength(BUYERS - STOCK);
    for (const reply of refused) {
      expectError(reply, 409, "INSUFFICIENT_STOCK");
      expect(reply.body.details).toEqual([{ path: `items.${product.id}`, message: expect.any(String) }]);
    }
    expect(await stockOf(server, product.id)).toBe(0);

    // Money: the provider's charges and the database's orders are the same set.
    const orders = await server.services.db.kysely.selectFrom("orders").select(["id", "status", "charge_id as chargeId"]).where("seller_id", "=", shop.id).execute();
    const charges = simulator.charges().slice(chargesBefore);
    expect(orders).toHaveLength(STOCK);
    expect(orders.every((o) => o.status === "paid" && o.chargeId !== null)).toBe(true);
    expect(charges).toHaveLength(STOCK);
    expect(new Set(charges.map((c) => c.id))).toEqual(new Set(orders.map((o) => o.chargeId)));
    expect(new Set(charges.map((c) => c.orderId))).toEqual(new Set(orders.map((o) => o.id)));
  });

  it("charges once for 20 concurrent requests with one Idempotency-Key, all answered with the same order", async () => {
    const shop = await account(server, { role: "seller" });
    const product = await createProduct(server, shop.id, { stock: 5, priceCents: 1234 });
    const buyer = await account(server);
    expectSuccess(await addToCart(server, buyer.token, product.id, 2));
    const chargesBefore = simulator.charges().length;
    const key = randomUUID();

    const replies = await Promise.all(Array.from({ length: 20 }, () => checkout(server, buyer.token, "pm_card_visa", key)));
    const newCharges = simulator.charges().slice(chargesBefore);
    console.log(`[idempotency ${database}] 20 concurrent requests with one key: ${new Set(replies.map((r) => r.status)).size} distinct status, ` +
      `${new Set(replies.map((r) => r.text)).size} distinct body, ${newCharges.length} charge`);
    for (const reply of replies) expectSuccess(reply, 201);
    expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    expect(newCharges).toHaveLength(1);
    expect(await server.services.db.kysely.selectFrom("orders").select("id").where("buyer_id", "=", buyer.id).execute()).toHaveLength(1);
    expect(await stockOf(server, product.id)).toBe(3);
  });
});
