/** docs/contract.md "Cart" over real HTTP: every route, its answers and every error code. */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, detailPaths, expectError, expectSuccess } from "../testing/http.ts";
import { as, checkout, createProduct } from "../testing/market.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { account, type Account } from "../testing/accounts.ts";

let server: TestServer;
let shop: Account;
beforeAll(async () => {
  server = await startTestServer();
  shop = await account(server, { role: "seller" });
});
afterAll(() => server.stop());

describe("GET /api/cart", () => {
  it("answers an empty cart in USD, and 401 INVALID_TOKEN without a valid token", async () => {
    const buyer = await account(server);
    const reply = await as(server, buyer.token)("GET", "/cart");
    expectSuccess(reply);
    expect(reply.body).toEqual({ status: "success", data: { items: [], subtotal_cents: 0, currency: "USD" } });
    expectError(await call(server.url, "GET", "/api/cart"), 401, "INVALID_TOKEN");
    expectError(await call(server.url, "DELETE", "/api/cart/items/x", { token: "a.b.c" }), 401, "INVALID_TOKEN");
  });
});

describe("POST /api/cart/items", () => {
  it("adds and merges lines, answering the cart with live names and prices in integer cents", async () => {
    const buyer = await account(server);
    const p = await createProduct(server, shop.id, { name: "Teapot", priceCents: 2450, stock: 9 });
    const rest = as(server, buyer.token);
    expectSuccess(await rest("POST", "/cart/items", { product_id: p.id, quantity: 2 }));
    const merged = await rest("POST", "/cart/items/", { product_id: p.id, quantity: 3 });
    expectSuccess(merged);
    expect(merged.body).toEqual({
      status: "success",
      message: "Item added to cart.",
      data: {
        items: [{ product_id: p.id, name: "Teapot", unit_price_cents: 2450, quantity: 5, line_total_cents: 12250, available: true }],
        subtotal_cents: 12250,
        currency: "USD",
      },
    });
    expect((await rest("GET", "/cart")).body.data).toEqual(merged.body.data);
  });

  it("answers 400 INVALID_REQUEST for quantities outside 1–99 (also after merging) and malformed bodies", async () => {
    const buyer = await account(server);
    const p = await createProduct(server, shop.id, { stock: 500 });
    const rest = as(server, buyer.token);
    for (const body of [{ product_id: p.id, quantity: 0 }, { product_id: p.id, quantity: 100 }, { product_id: p.id, quantity: 1.5 },
      { product_id: p.id, quantity: "2" }, { product_id: p.id }, { quantity: 1 }, { product_id: 7, quantity: 1 }]) {
      expectError(await rest("POST", "/cart/items", body), 400, "INVALID_REQUEST");
    }
    expectError(await call(server.url, "POST", "/api/cart/items", { raw: "{", token: buyer.token }), 400, "INVALID_REQUEST");
    expectSuccess(await rest("POST", "/cart/items", { product_id: p.id, quantity: 60 }));
    const beyond = await rest("POST", "/cart/items", { product_id: p.id, quantity: 40 });
    expectError(beyond, 400, "INVALID_REQUEST");
    expect(detailPaths(beyond)).toEqual(["quantity"]);
    expect(beyond.body.message).toMatch(/\bquantity\b/); // docs/contract.md: the message names the field
    expect((await rest("GET", "/cart")).body.data.items[0].quantity).toBe(60);
  });

  it("answers 404 PRODUCT_NOT_FOUND for unknown and archived products", async () => {
    const buyer = await account(server);
    const archived = await createProduct(server, shop.id, { status: "archived" });
    for (const id of [archived.id, randomUUID(), "x"]) {
      expectError(await as(server, buyer.token)("POST", "/cart/items", { product_id: id, quantity: 1 }), 404, "PRODUCT_NOT_FOUND");
    }
  });

  it("answers 409 INSUFFICIENT_STOCK (with details) above the current stock", async () => {
    const buyer = await account(server);
    const p = await createProduct(server, shop.id, { stock: 2 });
    const reply = await as(server, buyer.token)("POST", "/cart/items", { product_id: p.id, quantity: 3 });
    expectError(reply, 409, "INSUFFICIENT_STOCK");
    expect(reply.body.details).toEqual([{ path: "quantity", message: "Only 2 in stock." }]);
  });

  it("answers 400 CURRENCY_MISMATCH for a second currency and 400 OWN_PRODUCT for the seller's own product", async () => {
    const buyer = await account(server);
    const [usd, eur] = [await createProduct(server, shop.id), await createProduct(server, shop.id, { currency: "EUR" })];
    const rest = as(server, buyer.token);
    expectSuccess(await rest("POST", "/cart/items", { product_id: usd.id, quantity: 1 }));
    expectError(await rest("POST", "/cart/items", { product_id: eur.id, quantity: 1 }), 400, "CURRENCY_MISMATCH");
    expectError(await as(server, shop.token)("POST", "/cart/items", { product_id: usd.id, quantity: 1 }), 400, "OWN_PRODUCT");
    expectError(await rest("PUT", `/cart/items/${eur.id}`, { quantity: 1 }), 400, "CURRENCY_MISMATCH");
    expectError(await as(server, shop.token)("PUT", `/cart/items/${usd.id}`, { quantity: 1 }), 400, "OWN_PRODUCT");
  });
});

describe("PUT and DELETE /api/cart/items/{product_id}, DELETE /api/cart", () => {
  it("sets a quantity, removes with 0 or DELETE, empties, and shows availability live", async () => {
    const buyer = await account(server);
    const [a, b] = [await createProduct(server, shop.id, { stock: 5 }), await createProduct(server, shop.id, { stock: 5 })];
    const rest = as(server, buyer.token);
    const set = await rest("PUT", `/cart/items/${a.id}`, { quantity: 4 });
    expectSuccess(set);
    expect(set.body).toMatchObject({ message: "Cart updated.", data: { items: [{ product_id: a.id, quantity: 4, available: true }] } });
    expectError(await rest("PUT", `/cart/items/${a.id}`, { quantity: 6 }), 409, "INSUFFICIENT_STOCK");
    expectError(await rest("PUT", `/cart/items/${a.id}`, { quantity: 100 }), 400, "INVALID_REQUEST");
    expectError(await rest("PUT", `/cart/items/${randomUUID()}`, { quantity: 1 }), 404, "PRODUCT_NOT_FOUND");
    expectSuccess(await rest("PUT", `/cart/items/${b.id}/`, { quantity: 1 }));

    await server.services.db.kysely.updateTable("products").set({ stock: 3 }).where("id", "=", a.id).execute();
    expect((await rest("GET", "/cart")).body.data.items.map((i: { available: boolean }) => i.available)).toEqual([false, true]);

    const zero = await rest("PUT", `/cart/items/${b.id}`, { quantity: 0 });
    expectSuccess(zero);
    expect(zero.body.data.items.map((i: { product_id: string }) => i.product_id)).toEqual([a.id]);
    const removed = await rest("DELETE", `/cart/items/${a.id}`);
    expectSuccess(removed);
    expect(removed.body).toMatchObject({ message: "Item removed from cart.", data: { items: [], subtotal_cents: 0 } });
    expectError(await rest("DELETE", `/cart/items/${a.id}`), 404, "PRODUCT_NOT_FOUND");

    expectSuccess(await rest("POST", "/cart/items", { product_id: a.id, quantity: 1 }));
    const emptied = await rest("DELETE", "/cart/");
    expectSuccess(emptied);
    expect(emptied.body).toEqual({ status: "success", message: "Cart emptied.", data: { items: [], subtotal_cents: 0, currency: "USD" } });
  });

  it("keeps totals exact at the largest prices: 90 lines of 99 units at 10^12 cents; a 91st line is refused", async () => {
    const PRICE = 1_000_000_000_000;
    const buyer = await account(server);
    const rest = as(server, buyer.token);
    const products = await Promise.all(Array.from({ length: 91 }, () => createProduct(server, shop.id, { priceCents: PRICE, stock: 99 })));
    for (const p of products.slice(0, 90)) expectSuccess(await rest("PUT", `/cart/items/${p.id}`, { quantity: 99 }));
    const cart = (await rest("GET", "/cart")).body.data;
    expect(cart.items).toHaveLength(90);
    expect(cart.items.every((line: { line_total_cents: number }) => line.line_total_cents === 99 * PRICE)).toBe(true);
    expect(cart.subtotal_cents).toBe(8_910_000_000_000_000); // 90 × 99 × 10^12, below 2^53: exact
    for (const refused of [
      await rest("POST", "/cart/items", { product_id: products[90]!.id, quantity: 1 }),
      await rest("PUT", `/cart/items/${products[90]!.id}`, { quantity: 1 }),
    ]) {
      // CART_MAX_LINES (at most 90, its default): the cart's line limit.
      expectError(refused, 409, "QUOTA_EXCEEDED");
      expect(detailPaths(refused)).toEqual(["items"]);
    }
    expect((await rest("GET", "/cart")).body.data.items).toHaveLength(90);
    // Checkout: one order of the 90 lines, its total exact as well.
    const placed = await checkout(server, buyer.token);
    expectSuccess(placed, 201);
    const [order] = placed.body.data.orders;
    expect(order.total_cents).toBe(8_910_000_000_000_000);
    expect(order.items.every((item: { unit_price_cents: number; line_total_cents: number }) => item.unit_price_cents === PRICE && item.line_total_cents === 99 * PRICE)).toBe(true);
    expect((await rest("GET", `/orders/${order.id}`)).body.data.total_cents).toBe(8_910_000_000_000_000);
  });

  it("answers 405 with Allow for a wrong method on a cart path", async () => {
    const buyer = await account(server);
    const reply = await as(server, buyer.token)("PATCH", "/cart");
    expectError(reply, 405, "METHOD_NOT_ALLOWED");
    expect(reply.headers.get("allow")).toBe("GET, DELETE, HEAD");
  });
});
