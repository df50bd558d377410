/** docs/contract.md "Orders" over real HTTP: buyer and seller routes, the status machine, paging, and orders.onChange. */
import { randomUUID } from "node:crypto";
import type { PaymentSimulator } from "@tessera/api";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { liveTrpcClient } from "../testing/clients.ts";
import { expectError, expectSuccess } from "../testing/http.ts";
import { addToCart, as, checkout, createProduct, stockOf } from "../testing/market.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { account, type Account } from "../testing/accounts.ts";

let server: TestServer;
let shop: Account;
beforeAll(async () => {
  server = await startTestServer();
  shop = await account(server, { role: "seller" });
});
afterAll(() => server.stop());

/** A new buyer with one paid order of `quantity` units of a new product of `seller`. */
async function paidOrder(seller: Account = shop, quantity = 1) {
  const buyer = await account(server);
  const product = await createProduct(server, seller.id, { stock: 5 });
  expectSuccess(await addToCart(server, buyer.token, product.id, quantity));
  const reply = await checkout(server, buyer.token);
  expectSuccess(reply, 201);
  return { buyer, product, order: reply.body.data.orders[0] };
}

describe("buyer routes", () => {
  it("GET /api/orders/{id} answers the buyer's order; anyone else, and unknown ids, get 404 ORDER_NOT_FOUND", async () => {
    const { buyer, order } = await paidOrder();
    const mine = await as(server, buyer.token)("GET", `/orders/${order.id}`);
    expectSuccess(mine);
    expect(mine.body).toEqual({ status: "success", data: order });
    const stranger = await account(server);
    for (const path of [`/orders/${order.id}`, `/orders/${randomUUID()}`, "/orders/nope"]) {
      expectError(await as(server, stranger.token)("GET", path), 404, "ORDER_NOT_FOUND");
    }
    expectError(await as(server, stranger.token)("POST", `/orders/${order.id}/cancel`), 404, "ORDER_NOT_FOUND");
    expectError(await as(server, shop.token)("GET", `/orders/${order.id}`), 404, "ORDER_NOT_FOUND");
  });

  it("POST /api/orders/{id}/cancel refunds a paid order and restores its stock; any other state is 409 INVALID_ORDER_STATE", async () => {
    const { buyer, order, product } = await paidOrder(shop, 2);
    expect(await stockOf(server, product.id)).toBe(3);
    const cancelled = await as(server, buyer.token)("POST", `/orders/${order.id}/cancel`);
    expectSuccess(cancelled);
    expect(cancelled.body).toMatchObject({ message: "Order cancelled.", data: { status: "cancelled", payment: { status: "refunded" } } });
    expect(cancelled.body.data.history.map((h: { status: string }) => h.status)).toEqual(["pending_payment", "paid", "cancelled"]);
    expect(await stockOf(server, product.id)).toBe(5);
    const charge = (server.services.payments as PaymentSimulator).charges().find((c) => c.id === order.payment.charge_id);
    expect(charge?.refunded).toBe(true);
    expectError(await as(server, buyer.token)("POST", `/orders/${order.id}/cancel`), 409, "INVALID_ORDER_STATE");
  });

  it("GET /api/orders pages newest first with a status filter; bad limit, cursor or status are 400 INVALID_REQUEST", async () => {
    const buyer = await account(server);
    for (let i = 0; i < 5; i++) {
      expectSuccess(await addToCart(server, buyer.token, (await createProduct(server, shop.id)).id, 1));
      const reply = await checkout(server, buyer.token, i < 2 ? "pm_card_expired" : "pm_card_visa");
      if (i < 2) {
        expectError(reply, 402, "PAYMENT_DECLINED");
        expectSuccess(await as(server, buyer.token)("DELETE", "/cart"));
      }
    }
    const rest = as(server, buyer.token);
    const first = await rest("GET", "/orders?limit=2");
    expectSuccess(first);
    const second = await rest("GET", `/orders?limit=2&cursor=${first.body.data.next_cursor}`);
    const third = await rest("GET", `/orders?limit=2&cursor=${second.body.data.next_cursor}`);
    const ids = [first, second, third].flatMap((page) => page.body.data.items.map((o: { id: string }) => o.id));
    expect(new Set(ids).size).toBe(5);
    expect(third.body.data.next_cursor).toBeNull();
    const failed = await rest("GET", "/orders?status=payment_failed");
    expect(failed.body.data.items.map((o: { status: string }) => o.status)).toEqual(["payment_failed", "payment_failed"]);
    for (const query of ["limit=0", "limit=101", "cursor=junk", "status=lost", "status="]) {
      expectError(await rest("GET", `/orders?${query}`), 400, "INVALID_REQUEST");
    }
  });
});

describe("seller routes", () => {
  it("answer 403 FORBIDDEN to callers who are not sellers", async () => {
    const buyer = await account(server);
    const rest = as(server, buyer.token);
    const id = randomUUID();
    for (const [method, path] of [["GET", "/seller/orders"], ["GET", `/seller/orders/${id}`], ["POST", `/seller/orders/${id}/ship`], ["POST", `/seller/orders/${id}/deliver`]]) {
      expectError(await rest(method!, path!), 403, "FORBIDDEN");
    }
  });

  it("list and show only the seller's orders, and move them paid → shipped → delivered, 409 INVALID_ORDER_STATE otherwise", async () => {
    const other = await account(server, { role: "seller" });
    const { order } = await paidOrder(shop);
    const seller = as(server, shop.token);
    const list = await seller("GET", "/seller/orders?status=paid&limit=100");
    expectSuccess(list);
    expect(list.body.data.items.map((o: { id: string }) => o.id)).toContain(order.id);
    expect(list.body.data.items.every((o: { seller: { user_id: string } }) => o.seller.user_id === shop.id)).toBe(true);
    expect((await as(server, other.token)("GET", "/seller/orders")).body.data.items).toEqual([]);
    expectError(await as(server, other.token)("GET", `/seller/orders/${order.id}`), 404, "ORDER_NOT_FOUND");
    expectError(await as(server, other.token)("POST", `/seller/orders/${order.id}/ship`), 404, "ORDER_NOT_FOUND");

    expectError(await seller("POST", `/seller/orders/${order.id}/deliver`), 409, "INVALID_ORDER_STATE");
    const shipped = await seller("POST", `/seller/orders/${order.id}/ship`);
    expectSuccess(shipped);
    expect(shipped.body).toMatchObject({ message: "Order shipped.", data: { status: "shipped" } });
    expectError(await seller("POST", `/seller/orders/${order.id}/ship`), 409, "INVALID_ORDER_STATE");
    const delivered = await seller("POST", `/seller/orders/${order.id}/deliver/`);
    expectSuccess(delivered);
    expect(delivered.body.data.history.map((h: { status: string }) => h.status)).toEqual(["pending_payment", "paid", "shipped", "delivered"]);
    expect((await seller("GET", `/seller/orders/${order.id}`)).body.data).toEqual(delivered.body.data);
  });
});

describe("orders.onChange over SSE", () => {
  const stops: (() => void)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) stop();
    await vi.waitFor(() => expect(server.services.orderEvents.subscriberCount()).toBe(0), { timeout: 5000 });
  });

  function watch(token: string) {
    const events: { type: string; order: { id: string; status: string } }[] = [];
    let started!: () => void;
    const ready = new Promise<void>((resolve) => (started = resolve));
    const subscription = liveTrpcClient(server.url, token).orders.onChange.subscribe(undefined, { onStarted: () => started(), onData: (event) => events.push(event) });
    stops.push(() => subscription.unsubscribe());
    return { ready, events };
  }

  it("pushes every status change of an order to its buyer and its seller", async () => {
    const buyer = await account(server);
    const [buyerLive, sellerLive] = [watch(buyer.token), watch(shop.token)];
    await Promise.all([buyerLive.ready, sellerLive.ready]);
    const product = await createProduct(server, shop.id);
    await addToCart(server, buyer.token, product.id, 1);
    const order = (await checkout(server, buyer.token)).body.data.orders[0];
    await as(server, shop.token)("POST", `/seller/orders/${order.id}/ship`);
    const expected = ["pending_payment", "paid", "shipped"];
    for (const live of [buyerLive, sellerLive]) {
      await vi.waitFor(() => expect(live.events.filter((e) => e.order.id === order.id).map((e) => e.order.status)).toEqual(expected), { timeout: 5000 });
      expect(live.events.every((e) => e.type === "status_changed")).toBe(true);
    }
  });
});
