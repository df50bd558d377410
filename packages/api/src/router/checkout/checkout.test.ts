/** Checkout through createCaller: orders per seller, snapshots, stock, declines and the Idempotency-Key rules. */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PaymentSimulator } from "../../services/payments/simulator.ts";
import { account, appCodeOf, createTestServices, product, rejection, stockOf, type TestEnv } from "../../testing/index.ts";

let env: TestEnv;
let simulator: PaymentSimulator;
beforeAll(async () => {
  env = await createTestServices();
  simulator = env.services.payments as PaymentSimulator;
});
afterAll(() => env.cleanup());

const key = () => randomUUID();

describe("checkout", () => {
  it("places one paid order per seller, with snapshots and integer totals, charges each once and empties the cart", async () => {
    const [s1, s2, buyer] = [await account(env, { role: "seller" }), await account(env, { role: "seller" }), await account(env, { role: "buyer" })];
    const a = await product(env, s1.id, { name: "Lamp", priceCents: 1999, stock: 5 });
    const b = await product(env, s1.id, { name: "Bulb", priceCents: 250, stock: 5 });
    const c = await product(env, s2.id, { name: "Rug", priceCents: 12000, stock: 1 });
    await buyer.caller.cart.add({ product_id: a.id, quantity: 2 });
    await buyer.caller.cart.add({ product_id: b.id, quantity: 3 });
    await buyer.caller.cart.add({ product_id: c.id, quantity: 1 });
    const charges = simulator.charges().length;

    const reply = await buyer.withKey(key()).checkout.place({ payment_method: "pm_card_visa" });
    expect(reply.message).toBe("Order placed successfully.");
    const orders = reply.data.orders;
    expect(orders).toHaveLength(2);
    const first = orders.find((o) => o.seller.user_id === s1.id)!;
    expect(first).toMatchObject({
      buyer: { user_id: buyer.id, username: buyer.username },
      seller: { user_id: s1.id, store_name: s1.storeName },
      items: [
        { product_id: a.id, name: "Lamp", unit_price_cents: 1999, quantity: 2, line_total_cents: 3998 },
        { product_id: b.id, name: "Bulb", unit_price_cents: 250, quantity: 3, line_total_cents: 750 },
      ],
      total_cents: 4748,
      currency: "USD",
      status: "paid",
      payment: { provider: "simulator", charge_id: expect.stringMatching(/^ch_/), status: "succeeded", events: [] },
    });
    expect(first.history.map((h) => h.status)).toEqual(["pending_payment", "paid"]);
    expect(orders.find((o) => o.seller.user_id === s2.id)).toMatchObject({ total_cents: 12000, status: "paid" });
    expect(simulator.charges().slice(charges).map((ch) => ch.amountCents).sort()).toEqual([12000, 4748]);
    expect([await stockOf(env, a.id), await stockOf(env, b.id), await stockOf(env, c.id)]).toEqual([3, 2, 0]);
    expect((await buyer.caller.cart.get()).data.items).toEqual([]);

    // The snapshot outlives later changes to the product.
    await env.services.db.kysely.updateTable("products").set({ name: "Renamed", price_cents: 1 }).where("id", "=", a.id).execute();
    expect((await buyer.caller.orders.get({ id: first.id })).data.items[0]).toMatchObject({ name: "Lamp", unit_price_cents: 1999 });
  });

  it("answers a declined card with PAYMENT_DECLINED and its decline_code: orders payment_failed, stock restored, cart kept", async () => {
    const s = await account(env, { role: "seller" });
    for (const [method, declineCode] of [
      ["pm_card_chargeDeclined", "generic_decline"], ["pm_card_insufficientFunds", "insufficient_funds"], ["pm_card_expired", "expired_card"],
    ] as const) {
      const buyer = await account(env, { role: "buyer" });
      const p = await product(env, s.id, { stock: 4 });
      await buyer.caller.cart.add({ product_id: p.id, quantity: 3 });
      const error = await rejection(buyer.withKey(key()).checkout.place({ payment_method: method }));
      expect(error.appCode).toBe("PAYMENT_DECLINED");
      expect(error.details).toEqual([{ path: "payment_method", message: expect.any(String), decline_code: declineCode }]);
      expect(await stockOf(env, p.id)).toBe(4);
      expect((await buyer.caller.cart.get()).data.items).toHaveLength(1);
      const [order] = (await buyer.caller.orders.list({})).data.items;
      expect(order).toMatchObject({ status: "payment_failed", payment: { status: "failed", charge_id: expect.stringMatching(/^ch_/) } });
      expect(order!.history.map((h) => h.status)).toEqual(["pending_payment", "payment_failed"]);
    }
  });

  it("refuses a cart short of stock with INSUFFICIENT_STOCK, one detail per product, and charges and reserves nothing", async () => {
    const [s, buyer] = [await account(env, { role: "seller" }), await account(env, { role: "buyer" })];
    const [short1, fine, short2] = [await product(env, s.id, { stock: 5 }), await product(env, s.id, { stock: 5 }), await product(env, s.id, { stock: 5 })];
    for (const p of [short1, fine, short2]) await buyer.caller.cart.add({ product_id: p.id, quantity: 4 });
    const products = env.services.db.kysely.updateTable("products");
    await products.set({ stock: 3 }).where("id", "=", short1.id).execute();
    await products.set({ status: "archived" }).where("id", "=", short2.id).execute();
    const charges = simulator.charges().length;
    const error = await rejection(buyer.withKey(key()).checkout.place({ payment_method: "pm_card_visa" }));
    expect(error.appCode).toBe("INSUFFICIENT_STOCK");
    expect(error.details!.map((d) => d.path).sort()).toEqual([`items.${short1.id}`, `items.${short2.id}`].sort());
    expect(simulator.charges().length).toBe(charges);
    expect([await stockOf(env, short1.id), await stockOf(env, fine.id)]).toEqual([3, 5]);
    expect((await buyer.caller.orders.list({})).data.items).toEqual([]);
  });

  it("answers an empty cart with CART_EMPTY and an unknown payment method with INVALID_REQUEST", async () => {
    const buyer = await account(env, { role: "buyer" });
    expect(await appCodeOf(buyer.withKey(key()).checkout.place({ payment_method: "pm_card_visa" }))).toBe("CART_EMPTY");
    const error = await rejection(buyer.withKey(key()).checkout.place({ payment_method: "pm_card_unknown" }));
    expect(error.appCode).toBe("INVALID_REQUEST");
    expect(error.details).toEqual([{ path: "payment_method", message: "Unknown payment method." }]);
  });

  it("requires an Idempotency-Key of 1–255 characters", async () => {
    const buyer = await account(env, { role: "buyer" });
    expect(await appCodeOf(buyer.caller.checkout.place({ payment_method: "pm_card_visa" }))).toBe("IDEMPOTENCY_KEY_REQUIRED");
    for (const bad of ["", "k".repeat(256), "🦄".repeat(256)]) {
      const error = await rejection(buyer.withKey(bad).checkout.place({ payment_method: "pm_card_visa" }));
      expect(error.appCode).toBe("INVALID_REQUEST");
      expect(error.details).toEqual([{ path: "Idempotency-Key", message: expect.any(String) }]);
    }
    // 255 characters (code points, not bytes) is a key; the empty cart answers.
    expect(await appCodeOf(buyer.withKey("🦄".repeat(255)).checkout.place({ payment_method: "pm_card_visa" }))).toBe("CART_EMPTY");
  });
});

describe("checkout with an Idempotency-Key", () => {
  it("replays the recorded success, whatever the cart holds now, without a second charge or order", async () => {
    const [s, buyer] = [await account(env, { role: "seller" }), await account(env, { role: "buyer" })];
    const p = await product(env, s.id, { stock: 10 });
    await buyer.caller.cart.add({ product_id: p.id, quantity: 2 });
    const k = key();
    const first = await buyer.withKey(k).checkout.place({ payment_method: "pm_card_visa" });
    const charges = simulator.charges().length;
    await buyer.caller.cart.add({ product_id: p.id, quantity: 5 });
    await env.services.db.kysely.updateTable("orders").set({ status: "shipped" }).where("id", "=", first.data.orders[0]!.id).execute();
    const again = await buyer.withKey(k).checkout.place({ payment_method: "pm_card_visa" });
    expect(again).toEqual(first);
    expect(simulator.charges().length).toBe(charges);
    expect(await stockOf(env, p.id)).toBe(8);
    expect((await buyer.caller.cart.get()).data.items[0]!.quantity).toBe(5);
  });

  it("records and replays errors too (CART_EMPTY stays the answer after the cart is filled)", async () => {
    const [s, buyer] = [await account(env, { role: "seller" }), await account(env, { role: "buyer" })];
    const k = key();
    expect(await appCodeOf(buyer.withKey(k).checkout.place({ payment_method: "pm_card_visa" }))).toBe("CART_EMPTY");
    await buyer.caller.cart.add({ product_id: (await product(env, s.id)).id, quantity: 1 });
    const replayed = await rejection(buyer.withKey(k).checkout.place({ payment_method: "pm_card_visa" }));
    expect([replayed.appCode, replayed.message]).toEqual(["CART_EMPTY", "Your cart is empty."]);
    // A declined payment is replayed with its details.
    const declinedKey = key();
    const declined = await rejection(buyer.withKey(declinedKey).checkout.place({ payment_method: "pm_card_expired" }));
    const replayedDecline = await rejection(buyer.withKey(declinedKey).checkout.place({ payment_method: "pm_card_expired" }));
    expect([replayedDecline.appCode, replayedDecline.details]).toEqual([declined.appCode, declined.details]);
  });

  it("answers the same key with another payment method with IDEMPOTENCY_KEY_REUSED, and keys are per user", async () => {
    const [s, buyer, other] = [await account(env, { role: "seller" }), await account(env, { role: "buyer" }), await account(env, { role: "buyer" })];
    const k = key();
    expect(await appCodeOf(buyer.withKey(k).checkout.place({ payment_method: "pm_card_visa" }))).toBe("CART_EMPTY");
    expect(await appCodeOf(buyer.withKey(k).checkout.place({ payment_method: "pm_card_mastercard" }))).toBe("IDEMPOTENCY_KEY_REUSED");
    await other.caller.cart.add({ product_id: (await product(env, s.id)).id, quantity: 1 });
    expect((await other.withKey(k).checkout.place({ payment_method: "pm_card_mastercard" })).data.orders).toHaveLength(1);
  });

  it("processes concurrent requests with one key once; the others wait for and return its outcome", async () => {
    const [s, buyer] = [await account(env, { role: "seller" }), await account(env, { role: "buyer" })];
    const p = await product(env, s.id, { stock: 10 });
    await buyer.caller.cart.add({ product_id: p.id, quantity: 1 });
    const charges = simulator.charges().length;
    const k = key();
    const replies = await Promise.all(Array.from({ length: 8 }, () => buyer.withKey(k).checkout.place({ payment_method: "pm_card_visa" })));
    expect(new Set(replies.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(simulator.charges().length).toBe(charges + 1);
    expect(await stockOf(env, p.id)).toBe(9);
  });
});
