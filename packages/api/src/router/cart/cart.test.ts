/** The cart's rules through createCaller: merging, limits, the error codes, `available` and live prices. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { account, appCodeOf, createTestServices, product, rejection, type TestEnv } from "../../testing/index.ts";

let env: TestEnv;
let sellerId: string;
beforeAll(async () => {
  env = await createTestServices();
  sellerId = (await account(env, { role: "seller" })).id;
});
afterAll(() => env.cleanup());

describe("cart", () => {
  it("starts empty, in USD", async () => {
    const buyer = await account(env, { role: "buyer" });
    expect((await buyer.caller.cart.get()).data).toEqual({ items: [], subtotal_cents: 0, currency: "USD" });
  });

  it("adds lines, merges additions to a product's line, and totals in integer cents", async () => {
    const buyer = await account(env, { role: "buyer" });
    const [a, b] = [await product(env, sellerId, { priceCents: 1999, name: "A" }), await product(env, sellerId, { priceCents: 5, name: "B" })];
    await buyer.caller.cart.add({ product_id: a.id, quantity: 2 });
    await buyer.caller.cart.add({ product_id: b.id, quantity: 3 });
    const merged = await buyer.caller.cart.add({ product_id: a.id, quantity: 1 });
    expect(merged.message).toBe("Item added to cart.");
    expect(merged.data).toEqual({
      items: [
        { product_id: a.id, name: "A", unit_price_cents: 1999, quantity: 3, line_total_cents: 5997, available: true },
        { product_id: b.id, name: "B", unit_price_cents: 5, quantity: 3, line_total_cents: 15, available: true },
      ],
      subtotal_cents: 6012,
      currency: "USD",
    });
  });

  it("allows 1–99 per line, also after merging (INVALID_REQUEST beyond), whatever the stock", async () => {
    const buyer = await account(env, { role: "buyer" });
    const p = await product(env, sellerId, { stock: 500 });
    await buyer.caller.cart.add({ product_id: p.id, quantity: 99 });
    const error = await rejection(buyer.caller.cart.add({ product_id: p.id, quantity: 1 }));
    expect(error.appCode).toBe("INVALID_REQUEST");
    expect(error.details).toEqual([{ path: "quantity", message: expect.stringContaining("99") }]);
    for (const quantity of [0, 100, 1.5, -1]) expect(await appCodeOf(buyer.caller.cart.add({ product_id: p.id, quantity }))).toBe("INVALID_REQUEST");
    for (const quantity of [100, -1, 2.5]) expect(await appCodeOf(buyer.caller.cart.set({ product_id: p.id, quantity }))).toBe("INVALID_REQUEST");
    expect((await buyer.caller.cart.get()).data.items[0]!.quantity).toBe(99);
  });

  it("refuses more than the stock with INSUFFICIENT_STOCK, on add, merge and set", async () => {
    const buyer = await account(env, { role: "buyer" });
    const p = await product(env, sellerId, { stock: 3 });
    expect(await appCodeOf(buyer.caller.cart.add({ product_id: p.id, quantity: 4 }))).toBe("INSUFFICIENT_STOCK");
    await buyer.caller.cart.add({ product_id: p.id, quantity: 2 });
    const merge = await rejection(buyer.caller.cart.add({ product_id: p.id, quantity: 2 }));
    expect(merge.appCode).toBe("INSUFFICIENT_STOCK");
    expect(merge.details).toEqual([{ path: "quantity", message: "Only 3 in stock." }]);
    expect(await appCodeOf(buyer.caller.cart.set({ product_id: p.id, quantity: 4 }))).toBe("INSUFFICIENT_STOCK");
    expect((await buyer.caller.cart.get()).data.items.map((i) => i.quantity)).toEqual([2]);
  });

  it("refuses unknown, malformed and archived products with PRODUCT_NOT_FOUND", async () => {
    const buyer = await account(env, { role: "buyer" });
    const archived = await product(env, sellerId, { status: "archived" });
    for (const id of [archived.id, "00000000-0000-4000-8000-000000000000", "not-an-id", "\u0000"]) {
      expect(await appCodeOf(buyer.caller.cart.add({ product_id: id, quantity: 1 }))).toBe("PRODUCT_NOT_FOUND");
      expect(await appCodeOf(buyer.caller.cart.set({ product_id: id, quantity: 1 }))).toBe("PRODUCT_NOT_FOUND");
      expect(await appCodeOf(buyer.caller.cart.remove({ product_id: id }))).toBe("PRODUCT_NOT_FOUND");
    }
  });

  it("refuses a seller's own product with OWN_PRODUCT", async () => {
    const me = await account(env, { role: "seller" });
    const mine = await product(env, me.id);
    expect(await appCodeOf(me.caller.cart.add({ product_id: mine.id, quantity: 1 }))).toBe("OWN_PRODUCT");
    expect(await appCodeOf(me.caller.cart.set({ product_id: mine.id, quantity: 1 }))).toBe("OWN_PRODUCT");
  });

  it("holds one currency: another is CURRENCY_MISMATCH until the cart is emptied", async () => {
    const buyer = await account(env, { role: "buyer" });
    const [usd, eur] = [await product(env, sellerId), await product(env, sellerId, { currency: "EUR" })];
    await buyer.caller.cart.add({ product_id: usd.id, quantity: 1 });
    expect(await appCodeOf(buyer.caller.cart.add({ product_id: eur.id, quantity: 1 }))).toBe("CURRENCY_MISMATCH");
    expect(await appCodeOf(buyer.caller.cart.set({ product_id: eur.id, quantity: 1 }))).toBe("CURRENCY_MISMATCH");
    const emptied = await buyer.caller.cart.empty();
    expect(emptied).toEqual({ status: "success", message: "Cart emptied.", data: { items: [], subtotal_cents: 0, currency: "USD" } });
    expect((await buyer.caller.cart.add({ product_id: eur.id, quantity: 1 })).data.currency).toBe("EUR");
  });

  it("sets quantities, removes with 0 or DELETE, and says PRODUCT_NOT_FOUND for a line that is not there", async () => {
    const buyer = await account(env, { role: "buyer" });
    const p = await product(env, sellerId);
    expect((await buyer.caller.cart.set({ product_id: p.id, quantity: 7 })).data.items[0]!.quantity).toBe(7);
    expect((await buyer.caller.cart.set({ product_id: p.id, quantity: 2 })).data.items[0]!.quantity).toBe(2);
    expect((await buyer.caller.cart.set({ product_id: p.id, quantity: 0 })).data.items).toEqual([]);
    expect(await appCodeOf(buyer.caller.cart.set({ product_id: p.id, quantity: 0 }))).toBe("PRODUCT_NOT_FOUND");
    await buyer.caller.cart.add({ product_id: p.id, quantity: 1 });
    expect(await buyer.caller.cart.remove({ product_id: p.id })).toMatchObject({ message: "Item removed from cart.", data: { items: [] } });
    expect(await appCodeOf(buyer.caller.cart.remove({ product_id: p.id }))).toBe("PRODUCT_NOT_FOUND");
  });

  it("reads prices and availability live: price changes, stock falling short and archiving show at once", async () => {
    const buyer = await account(env, { role: "buyer" });
    const p = await product(env, sellerId, { priceCents: 100, stock: 5 });
    await buyer.caller.cart.add({ product_id: p.id, quantity: 4 });
    const row = env.services.db.kysely.updateTable("products").where("id", "=", p.id);
    await row.set({ price_cents: 250, name: "Renamed" }).execute();
    expect((await buyer.caller.cart.get()).data).toMatchObject({
      items: [{ name: "Renamed", unit_price_cents: 250, line_total_cents: 1000, available: true }],
      subtotal_cents: 1000,
    });
    await row.set({ stock: 3 }).execute();
    expect((await buyer.caller.cart.get()).data.items[0]!.available).toBe(false);
    await row.set({ stock: 4, status: "archived" }).execute();
    expect((await buyer.caller.cart.get()).data.items[0]!.available).toBe(false);
    // An archived product's line can still be removed.
    expect((await buyer.caller.cart.remove({ product_id: p.id })).data.items).toEqual([]);
  });

  it("keeps each user's cart private", async () => {
    const [alice, bob] = [await account(env, { role: "buyer" }), await account(env, { role: "buyer" })];
    const p = await product(env, sellerId);
    await alice.caller.cart.add({ product_id: p.id, quantity: 1 });
    expect((await bob.caller.cart.get()).data.items).toEqual([]);
    expect(await appCodeOf(bob.caller.cart.remove({ product_id: p.id }))).toBe("PRODUCT_NOT_FOUND");
    await bob.caller.cart.empty();
    expect((await alice.caller.cart.get()).data.items).toHaveLength(1);
  });

  it("lets concurrent additions to one line never pass 99 together", async () => {
    const buyer = await account(env, { role: "buyer" });
    const p = await product(env, sellerId, { stock: 1000 });
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => buyer.caller.cart.add({ product_id: p.id, quantity: 30 })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    expect((await buyer.caller.cart.get()).data.items[0]!.quantity).toBe(90);
  });
});
