/** docs/contract.md "Checkout and payments" over real HTTP: answers, error codes and the Idempotency-Key rules. */
import { randomUUID } from "node:crypto";
import type { PaymentSimulator } from "@tessera/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpcClient } from "../testing/clients.ts";
import { call, expectError, expectSuccess } from "../testing/http.ts";
import { addToCart, as, checkout, createProduct, stockOf } from "../testing/market.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { account, type Account } from "../testing/accounts.ts";

let server: TestServer;
let shop: Account;
let simulator: PaymentSimulator;
beforeAll(async () => {
  server = await startTestServer();
  shop = await account(server, { role: "seller" });
  simulator = server.services.payments as PaymentSimulator;
});
afterAll(() => server.stop());

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe("POST /api/checkout", () => {
  it("answers 201 with one paid order per seller in the contract's shape, and empties the cart", async () => {
    const [buyer, other] = [await account(server), await account(server, { role: "seller" })];
    const [a, b] = [await createProduct(server, shop.id, { name: "Mug", priceCents: 899, stock: 3 }), await createProduct(server, other.id, { priceCents: 100 })];
    await addToCart(server, buyer.token, a.id, 2);
    await addToCart(server, buyer.token, b.id, 1);
    const reply = await checkout(server, buyer.token);
    expectSuccess(reply, 201);
    expect(reply.body.message).toBe("Order placed successfully.");
    expect(Object.keys(reply.body)).toEqual(["status", "message", "data"]);
    const orders = reply.body.data.orders;
    expect(orders).toHaveLength(2);
    const mine = orders.find((o: { seller: { user_id: string } }) => o.seller.user_id === shop.id);
    expect(mine).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      buyer: { user_id: buyer.id, username: buyer.username },
      seller: { user_id: shop.id, store_name: shop.storeName },
      items: [{ product_id: a.id, name: "Mug", unit_price_cents: 899, quantity: 2, line_total_cents: 1798 }],
      total_cents: 1798,
      currency: "USD",
      status: "paid",
      payment: { provider: "simulator", charge_id: expect.stringMatching(/^ch_/), status: "succeeded", events: [] },
      created_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
      history: [{ status: "pending_payment", at: expect.stringMatching(ISO) }, { status: "paid", at: expect.stringMatching(ISO) }],
    });
    expect(await stockOf(server, a.id)).toBe(1);
    expect((await as(server, buyer.token)("GET", "/cart")).body.data.items).toEqual([]);
  });

  it("answers 402 PAYMENT_DECLINED with the decline_code: stock restored, cart kept, order payment_failed", async () => {
    const buyer = await account(server);
    const p = await createProduct(server, shop.id, { stock: 2 });
    await addToCart(server, buyer.token, p.id, 2);
    const reply = await checkout(server, buyer.token, "pm_card_insufficientFunds");
    expectError(reply, 402, "PAYMENT_DECLINED");
    expect(reply.body.details).toEqual([{ path: "payment_method", message: expect.any(String), decline_code: "insufficient_funds" }]);
    expect(await stockOf(server, p.id)).toBe(2);
    expect((await as(server, buyer.token)("GET", "/cart")).body.data.items).toHaveLength(1);
    const orders = await as(server, buyer.token)("GET", "/orders");
    expect(orders.body.data.items.map((o: { status: string }) => o.status)).toEqual(["payment_failed"]);
  });

  it("answers 409 INSUFFICIENT_STOCK with one `items.<product_id>` detail per short product, charging nothing", async () => {
    const buyer = await account(server);
    const [p, q] = [await createProduct(server, shop.id, { stock: 2 }), await createProduct(server, shop.id, { stock: 2 })];
    await addToCart(server, buyer.token, p.id, 2);
    await addToCart(server, buyer.token, q.id, 1);
    await server.services.db.kysely.updateTable("products").set({ stock: 1 }).where("id", "=", p.id).execute();
    const charges = simulator.charges().length;
    const reply = await checkout(server, buyer.token);
    expectError(reply, 409, "INSUFFICIENT_STOCK");
    expect(reply.body.details).toEqual([{ path: `items.${p.id}`, message: expect.any(String) }]);
    expect(simulator.charges().length).toBe(charges);
    expect([await stockOf(server, p.id), await stockOf(server, q.id)]).toEqual([1, 2]);
  });

  it("answers 400 CURRENCY_MISMATCH when a product's currency changed after it was added, reserving nothing", async () => {
    const buyer = await account(server);
    const [p, q] = [await createProduct(server, shop.id, { stock: 3 }), await createProduct(server, shop.id, { stock: 3 })];
    await addToCart(server, buyer.token, p.id, 1);
    await addToCart(server, buyer.token, q.id, 1);
    await server.services.db.kysely.updateTable("products").set({ currency: "EUR" }).where("id", "=", q.id).execute();
    expectError(await checkout(server, buyer.token), 400, "CURRENCY_MISMATCH");
    expect([await stockOf(server, p.id), await stockOf(server, q.id)]).toEqual([3, 3]);
  });

  it("answers 400 CART_EMPTY, 400 INVALID_REQUEST for an unknown or missing payment method, 401 without a token", async () => {
    const buyer = await account(server);
    expectError(await checkout(server, buyer.token), 400, "CART_EMPTY");
    const unknown = await checkout(server, buyer.token, "pm_card_bitcoin");
    expectError(unknown, 400, "INVALID_REQUEST");
    expect(unknown.body.details).toEqual([{ path: "payment_method", message: "Unknown payment method." }]);
    expectError(await as(server, buyer.token)("POST", "/checkout", {}, { "Idempotency-Key": "k" }), 400, "INVALID_REQUEST");
    expectError(await call(server.url, "POST", "/api/checkout", { json: { payment_method: "pm_card_visa" }, headers: { "Idempotency-Key": "k" } }), 401, "INVALID_TOKEN");
  });

  it("answers 400 IDEMPOTENCY_KEY_REQUIRED without the header, 400 INVALID_REQUEST for an empty or over-long one", async () => {
    const buyer = await account(server);
    expectError(await as(server, buyer.token)("POST", "/checkout", { payment_method: "pm_card_visa" }), 400, "IDEMPOTENCY_KEY_REQUIRED");
    for (const key of ["", "k".repeat(256)]) {
      const reply = await checkout(server, buyer.token, "pm_card_visa", key);
      expectError(reply, 400, "INVALID_REQUEST");
      expect(reply.body.details).toEqual([{ path: "Idempotency-Key", message: expect.any(String) }]);
    }
    expectError(await checkout(server, buyer.token, "pm_card_visa", "k".repeat(255)), 400, "CART_EMPTY");
  });
});

describe("through the catalog routes", () => {
  it("sells a product created with POST /api/products, the order snapshotting what the catalog showed", async () => {
    const buyer = await account(server);
    const created = await as(server, shop.token)("POST", "/products", { name: "Vase", price_cents: 3150, currency: "EUR", stock: 2 });
    expectSuccess(created, 201);
    const product = created.body.data;
    expectSuccess(await addToCart(server, buyer.token, product.id, 2));
    const reply = await checkout(server, buyer.token);
    expectSuccess(reply, 201);
    expect(reply.body.data.orders[0]).toMatchObject({
      currency: "EUR", total_cents: 6300, items: [{ product_id: product.id, name: "Vase", unit_price_cents: 3150, quantity: 2 }],
    });
    const after = await call(server.url, "GET", `/api/products/${product.id}`);
    expect(after.body.data.stock).toBe(0);
    // Archived through the catalog: the cart refuses it, the order keeps its snapshot.
    expectSuccess(await as(server, shop.token)("DELETE", `/products/${product.id}`));
    expectError(await addToCart(server, buyer.token, product.id, 1), 404, "PRODUCT_NOT_FOUND");
    const order = await as(server, buyer.token)("GET", `/orders/${reply.body.data.orders[0].id}`);
    expect(order.body.data.items[0].name).toBe("Vase");
  });
});

describe("the Idempotency-Key", () => {
  it("replays the recorded answer (status and body) for the same key and payment method, whatever the cart holds", async () => {
    const buyer = await account(server);
    const p = await createProduct(server, shop.id, { stock: 10 });
    await addToCart(server, buyer.token, p.id, 1);
    const key = randomUUID();
    const first = await checkout(server, buyer.token, "pm_card_visa", key);
    expectSuccess(first, 201);
    const charges = simulator.charges().length;
    await addToCart(server, buyer.token, p.id, 4);
    const again = await checkout(server, buyer.token, "pm_card_visa", key);
    expect([again.status, again.text]).toEqual([201, first.text]);
    expect(simulator.charges().length).toBe(charges);
    expect(await stockOf(server, p.id)).toBe(9);
    expect((await as(server, buyer.token)("GET", "/orders")).body.data.items).toHaveLength(1);
  });

  it("records every outcome: an error is replayed even once the request would now succeed", async () => {
    const buyer = await account(server);
    const key = randomUUID();
    const empty = await checkout(server, buyer.token, "pm_card_visa", key);
    expectError(empty, 400, "CART_EMPTY");
    await addToCart(server, buyer.token, (await createProduct(server, shop.id)).id, 1);
    const replayed = await checkout(server, buyer.token, "pm_card_visa", key);
    expect([replayed.status, replayed.text]).toEqual([400, empty.text]);
    expectSuccess(await checkout(server, buyer.token), 201);
  });

  it("answers 409 IDEMPOTENCY_KEY_REUSED for the same key with another payment method", async () => {
    const buyer = await account(server);
    const key = randomUUID();
    expectError(await checkout(server, buyer.token, "pm_card_visa", key), 400, "CART_EMPTY");
    expectError(await checkout(server, buyer.token, "pm_card_mastercard", key), 409, "IDEMPOTENCY_KEY_REUSED");
  });

  it("is the same over tRPC: the header travels with the call, the error carries the code", async () => {
    const buyer = await account(server);
    await addToCart(server, buyer.token, (await createProduct(server, shop.id)).id, 1);
    const key = randomUUID();
    const client = (headers: Record<string, string>) => trpcClient(server.url, buyer.token, headers);
    const placed = await client({ "Idempotency-Key": key }).checkout.place.mutate({ payment_method: "pm_card_mastercard" });
    expect(placed.data.orders[0]!.status).toBe("paid");
    expect(await client({ "Idempotency-Key": key }).checkout.place.mutate({ payment_method: "pm_card_mastercard" })).toEqual(placed);
    const missing = await client({}).checkout.place.mutate({ payment_method: "pm_card_visa" }).catch((error: { data?: unknown }) => error.data);
    expect(missing).toMatchObject({ appCode: "IDEMPOTENCY_KEY_REQUIRED", httpStatus: 400 });
  });
});
