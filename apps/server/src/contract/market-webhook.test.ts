/**
 * POST /api/payments/webhook over real HTTP, end to end: a simulator that settles later (async) delivers its signed
 * events to the running server, exactly as a processor would; signatures are checked over the raw bytes received.
 */
import { randomUUID } from "node:crypto";
import { createPaymentSimulator, signWebhook } from "@tessera/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, expectError, expectSuccess } from "../testing/http.ts";
import { addToCart, as, checkout, createProduct, stockOf } from "../testing/market.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { account, type Account } from "../testing/accounts.ts";

const SECRET = `whsec_${randomUUID()}`;
const simulator = createPaymentSimulator({ webhookSecret: SECRET, settlement: "async" });
let server: TestServer;
let shop: Account;
beforeAll(async () => {
  server = await startTestServer({ WEBHOOK_SECRET: SECRET }, { payments: simulator });
  shop = await account(server, { role: "seller" });
});
afterAll(() => server.stop());

const post = (body: string, signature?: string) =>
  call(server.url, "POST", "/api/payments/webhook", { raw: body, headers: signature === undefined ? {} : { "Tessera-Signature": signature } });

async function pendingOrder(method = "pm_card_visa") {
  const buyer = await account(server);
  const product = await createProduct(server, shop.id, { stock: 4, priceCents: 300 });
  await addToCart(server, buyer.token, product.id, 3);
  const reply = await checkout(server, buyer.token, method);
  expectSuccess(reply, 201);
  return { buyer, product, order: reply.body.data.orders[0] };
}

describe("POST /api/payments/webhook", () => {
  it("settles pending orders from the simulator's deliveries: charge.succeeded → paid, charge.failed → payment_failed (restocked)", async () => {
    const ok = await pendingOrder();
    const declined = await pendingOrder("pm_card_chargeDeclined");
    expect([ok.order.status, declined.order.status]).toEqual(["pending_payment", "pending_payment"]);
    expect(await stockOf(server, declined.product.id)).toBe(1);

    const deliveries = await simulator.deliver(server.url);
    expect(deliveries.map((d) => d.status)).toEqual([200, 200]);
    const paid = (await as(server, ok.buyer.token)("GET", `/orders/${ok.order.id}`)).body.data;
    expect(paid).toMatchObject({ status: "paid", payment: { status: "succeeded", events: [deliveries[0]!.event.id] } });
    const failed = (await as(server, declined.buyer.token)("GET", `/orders/${declined.order.id}`)).body.data;
    expect(failed).toMatchObject({ status: "payment_failed", payment: { status: "failed", events: [deliveries[1]!.event.id] } });
    expect(await stockOf(server, declined.product.id)).toBe(4);

    // A cancel by the buyer refunds; the provider's charge.refunded then finds the order cancelled already: no change.
    expectSuccess(await as(server, ok.buyer.token)("POST", `/orders/${ok.order.id}/cancel`));
    expect((await simulator.deliver(server.url)).map((d) => [d.event.type, d.status])).toEqual([["charge.refunded", 200]]);
    const cancelled = (await as(server, ok.buyer.token)("GET", `/orders/${ok.order.id}`)).body.data;
    expect(cancelled.payment.events).toEqual([deliveries[0]!.event.id]);
    expect(await stockOf(server, ok.product.id)).toBe(4);
  });

  it("acknowledges a redelivered event (200) without changing anything or appending its id again", async () => {
    const { buyer, order } = await pendingOrder();
    const [delivery] = await simulator.deliver(server.url);
    const before = (await as(server, buyer.token)("GET", `/orders/${order.id}`)).body.data;
    const body = JSON.stringify(delivery!.event);
    const again = await post(body, signWebhook(SECRET, body));
    expectSuccess(again);
    expect(again.body).toEqual({ status: "success", message: "Event received." });
    expect((await as(server, buyer.token)("GET", `/orders/${order.id}`)).body.data).toEqual(before);
  });

  it("verifies the signature over the raw bytes: odd but signed formatting passes, a re-serialised body does not", async () => {
    const { buyer, order } = await pendingOrder();
    const event = simulator.pendingEvents().find((e) => e.data.order_id === order.id)!;
    const raw = `{ "id" : "${event.id}",\n "type":"charge.succeeded", "created": ${event.created}, "data": ${JSON.stringify(event.data).replace("USD", "\\u0055SD")} }`;
    expectError(await post(JSON.stringify(JSON.parse(raw)), signWebhook(SECRET, raw)), 400, "INVALID_SIGNATURE");
    expectSuccess(await post(raw, signWebhook(SECRET, raw)));
    expect((await as(server, buyer.token)("GET", `/orders/${order.id}`)).body.data.status).toBe("paid");
    await simulator.deliver(server.url);
  });

  it("answers 400 INVALID_SIGNATURE for a missing, wrong or stale signature, changing nothing", async () => {
    const { buyer, order } = await pendingOrder();
    const event = simulator.pendingEvents().find((e) => e.data.order_id === order.id)!;
    const body = JSON.stringify(event);
    const now = Math.floor(Date.now() / 1000);
    for (const signature of [undefined, "", "t=abc", signWebhook("whsec_wrong", body), signWebhook(SECRET, body, now - 301), signWebhook(SECRET, body, now + 301)]) {
      expectError(await post(body, signature), 400, "INVALID_SIGNATURE");
    }
    expect((await as(server, buyer.token)("GET", `/orders/${order.id}`)).body.data.status).toBe("pending_payment");
    expectSuccess(await post(body, signWebhook(SECRET, body, now - 299)));
    expect((await as(server, buyer.token)("GET", `/orders/${order.id}`)).body.data.status).toBe("paid");
    await simulator.deliver(server.url);
  });

  it("acknowledges events for unknown orders and events that do not fit the order's state; 400 for signed non-events", async () => {
    const { buyer, order } = await pendingOrder();
    await simulator.deliver(server.url);
    const before = (await as(server, buyer.token)("GET", `/orders/${order.id}`)).body.data;
    const data = { charge_id: order.payment.charge_id, order_id: order.id, amount_cents: 900, currency: "USD" };
    for (const event of [
      { id: `evt_${randomUUID()}`, type: "charge.failed", created: 1, data },
      { id: `evt_${randomUUID()}`, type: "charge.succeeded", created: 1, data: { ...data, order_id: randomUUID() } },
    ]) {
      const body = JSON.stringify(event);
      expectSuccess(await post(body, signWebhook(SECRET, body)));
    }
    expect((await as(server, buyer.token)("GET", `/orders/${order.id}`)).body.data).toEqual(before);
    for (const body of ["not json", "[1]", JSON.stringify({ id: "evt_x", type: "charge.succeeded", created: 1, data: { order_id: order.id } })]) {
      expectError(await post(body, signWebhook(SECRET, body)), 400, "INVALID_REQUEST");
    }
  });
});
