/** Orders through createCaller: the status machine, cancel (refund and restock), seller routes, paging and onChange. */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../../root.ts";
import type { PaymentSimulator } from "../../services/payments/simulator.ts";
import { account, type Account, appCodeOf, createTestServices, pages, paidOrder, product, stockOf, type TestEnv, within } from "../../testing/index.ts";
import { createContext } from "../../trpc.ts";
import type { OrderEvent } from "./orders.schema.ts";

let env: TestEnv;
let simulator: PaymentSimulator;
beforeAll(async () => {
  env = await createTestServices();
  simulator = env.services.payments as PaymentSimulator;
});
afterAll(() => env.cleanup());

describe("the order status machine", () => {
  it("goes paid → shipped → delivered by the seller, and refuses every other move with INVALID_ORDER_STATE", async () => {
    const s = await account(env, { role: "seller" });
    const { buyer, order } = await paidOrder(env, s.id);
    expect(await appCodeOf(s.caller.sellerOrders.deliver({ id: order.id }))).toBe("INVALID_ORDER_STATE");
    const shipped = await s.caller.sellerOrders.ship({ id: order.id });
    expect(shipped).toMatchObject({ message: "Order shipped.", data: { status: "shipped" } });
    expect(await appCodeOf(s.caller.sellerOrders.ship({ id: order.id }))).toBe("INVALID_ORDER_STATE");
    expect(await appCodeOf(buyer.caller.orders.cancel({ id: order.id }))).toBe("INVALID_ORDER_STATE");
    const delivered = await s.caller.sellerOrders.deliver({ id: order.id });
    expect(delivered.data.history.map((h) => h.status)).toEqual(["pending_payment", "paid", "shipped", "delivered"]);
    for (const move of [() => s.caller.sellerOrders.ship({ id: order.id }), () => s.caller.sellerOrders.deliver({ id: order.id }), () => buyer.caller.orders.cancel({ id: order.id })]) {
      expect(await appCodeOf(move())).toBe("INVALID_ORDER_STATE");
    }
  });

  it("cancels a paid order: refunded through the provider, units back in stock, history kept; then nothing more", async () => {
    const s = await account(env, { role: "seller" });
    const { buyer, order, product: item } = await paidOrder(env, s.id, 3, { stock: 5 });
    expect(await stockOf(env, item.id)).toBe(2);
    const cancelled = await buyer.caller.orders.cancel({ id: order.id });
    expect(cancelled).toMatchObject({ message: "Order cancelled.", data: { status: "cancelled", payment: { status: "refunded" } } });
    expect(cancelled.data.history.map((h) => h.status)).toEqual(["pending_payment", "paid", "cancelled"]);
    expect(await stockOf(env, item.id)).toBe(5);
    expect(simulator.charges().find((c) => c.id === order.payment.charge_id)!.refunded).toBe(true);
    expect(await appCodeOf(buyer.caller.orders.cancel({ id: order.id }))).toBe("INVALID_ORDER_STATE");
    expect(await appCodeOf(s.caller.sellerOrders.ship({ id: order.id }))).toBe("INVALID_ORDER_STATE");
    expect(await stockOf(env, item.id)).toBe(5);
  });

  it("lets one of a concurrent cancel and ship win, never both; the stock is restored exactly once", async () => {
    const s = await account(env, { role: "seller" });
    for (let round = 0; round < 4; round++) {
      const { buyer, order, product: item } = await paidOrder(env, s.id, 2, { stock: 2 });
      const [cancel, ship] = await Promise.allSettled([buyer.caller.orders.cancel({ id: order.id }), s.caller.sellerOrders.ship({ id: order.id })]);
      expect([cancel.status, ship.status].filter((status) => status === "fulfilled")).toHaveLength(1);
      const final = (await buyer.caller.orders.get({ id: order.id })).data.status;
      expect(await stockOf(env, item.id)).toBe(final === "cancelled" ? 2 : 0);
    }
  });
});

describe("who sees what", () => {
  it("gives other users ORDER_NOT_FOUND, and sellers only the orders for their products", async () => {
    const [s, otherSeller, stranger] = [await account(env, { role: "seller" }), await account(env, { role: "seller" }), await account(env, { role: "buyer" })];
    const { buyer, order } = await paidOrder(env, s.id);
    for (const id of [order.id, randomUUID(), "nope", "\u0000"]) {
      expect(await appCodeOf(stranger.caller.orders.get({ id }))).toBe("ORDER_NOT_FOUND");
      expect(await appCodeOf(stranger.caller.orders.cancel({ id }))).toBe("ORDER_NOT_FOUND");
      expect(await appCodeOf(otherSeller.caller.sellerOrders.get({ id }))).toBe("ORDER_NOT_FOUND");
      expect(await appCodeOf(otherSeller.caller.sellerOrders.ship({ id }))).toBe("ORDER_NOT_FOUND");
    }
    // The seller is not the buyer, nor the buyer the seller.
    expect(await appCodeOf(s.caller.orders.get({ id: order.id }))).toBe("ORDER_NOT_FOUND");
    expect((await s.caller.sellerOrders.get({ id: order.id })).data.id).toBe(order.id);
    expect((await buyer.caller.orders.get({ id: order.id })).data.id).toBe(order.id);
    expect((await otherSeller.caller.sellerOrders.list({})).data.items).toEqual([]);
    expect((await s.caller.sellerOrders.list({})).data.items.map((o) => o.id)).toContain(order.id);
  });

  it("keeps the seller routes to sellers: FORBIDDEN for users and admins", async () => {
    const buyer = await account(env, { role: "buyer" });
    for (const call of [() => buyer.caller.sellerOrders.list({}), () => buyer.caller.sellerOrders.get({ id: randomUUID() })]) {
      expect(await appCodeOf(call())).toBe("FORBIDDEN");
    }
  });
});

describe("listing orders", () => {
  it("pages newest first by keyset, with a status filter, visiting each order once", async () => {
    const s = await account(env, { role: "seller" });
    const buyer = await account(env, { role: "buyer" });
    for (let i = 0; i < 7; i++) {
      await buyer.caller.cart.add({ product_id: (await product(env, s.id)).id, quantity: 1 });
      const method = i % 3 === 0 ? "pm_card_chargeDeclined" : "pm_card_visa";
      await buyer.withKey(randomUUID()).checkout.place({ payment_method: method }).catch(() => undefined);
      if (method === "pm_card_chargeDeclined") await buyer.caller.cart.empty();
    }
    const seen = await pages((cursor) => buyer.caller.orders.list({ limit: 3, cursor }).then((r) => r.data));
    expect(new Set(seen.map((o) => o.id)).size).toBe(7);
    const newestFirst = [...seen].sort((a, b) => b.created_at.localeCompare(a.created_at) || (b.id < a.id ? -1 : 1));
    expect(seen.map((o) => o.id)).toEqual(newestFirst.map((o) => o.id));
    const failed = (await buyer.caller.orders.list({ status: "payment_failed", limit: 2 })).data;
    expect(failed.items.map((o) => o.status)).toEqual(["payment_failed", "payment_failed"]);
    const rest = (await buyer.caller.orders.list({ status: "payment_failed", cursor: failed.next_cursor! })).data;
    expect(rest).toMatchObject({ items: [{ status: "payment_failed" }], next_cursor: null });
    expect((await s.caller.sellerOrders.list({ status: "paid", limit: 100 })).data.items).toHaveLength(4);
    expect(await appCodeOf(buyer.caller.orders.list({ cursor: "garbage" }))).toBe("INVALID_REQUEST");
    expect(await appCodeOf(buyer.caller.orders.list({ status: "lost" as never }))).toBe("INVALID_REQUEST");
  });
});

describe("orders.onChange", () => {
  const open: AbortController[] = [];
  afterEach(() => {
    for (const controller of open.splice(0)) controller.abort();
  });

  /** Subscribes to orders.onChange as `user`, over a session of its own: the returned function awaits its next event. */
  async function watch(user: Account) {
    const authorization = `Bearer ${(await user.login()).access_token}`;
    const controller = new AbortController();
    open.push(controller);
    const request = { transport: "trpc", requestId: "test", clientAddress: "127.0.0.1", authorization } as const;
    const events = (await createCaller(createContext(env.services, request), { signal: controller.signal }).orders.onChange())[Symbol.asyncIterator]();
    let pending = events.next();
    return async (): Promise<OrderEvent> => {
      const result = await within(pending, "an event", 3000);
      pending = events.next();
      return result.value as OrderEvent;
    };
  }

  it("tells the buyer and the seller of every status change, and no one else", async () => {
    const [s, buyer, stranger] = [await account(env, { role: "seller" }), await account(env, { role: "buyer" }), await account(env, { role: "buyer" })];
    const item = await product(env, s.id);
    const [buyerNext, sellerNext, strangerNext] = [
      await watch(buyer), await watch(s), await watch(stranger),
    ];
    await buyer.caller.cart.add({ product_id: item.id, quantity: 1 });
    const [order] = (await buyer.withKey(randomUUID()).checkout.place({ payment_method: "pm_card_visa" })).data.orders;
    await s.caller.sellerOrders.ship({ id: order!.id });
    await s.caller.sellerOrders.deliver({ id: order!.id });
    for (const next of [buyerNext, sellerNext]) {
      const statuses = [];
      for (let i = 0; i < 4; i++) {
        const event = await next();
        expect(event).toMatchObject({ type: "status_changed", order: { id: order!.id } });
        statuses.push(event.order.status);
      }
      expect(statuses).toEqual(["pending_payment", "paid", "shipped", "delivered"]);
    }
    // The stranger's first event is one of its own orders: none of the above reached it.
    await buyer.caller.cart.empty();
    await stranger.caller.cart.add({ product_id: item.id, quantity: 1 });
    await stranger.withKey(randomUUID()).checkout.place({ payment_method: "pm_card_visa" });
    expect((await strangerNext()).order.buyer.user_id).toBe(stranger.id);
  });
});
