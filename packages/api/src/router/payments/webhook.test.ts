/** The payment webhook through createCaller, with a simulator that settles later (async): the state machine by event. */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPaymentSimulator, type PaymentSimulator } from "../../services/payments/simulator.ts";
import { signWebhook } from "../../services/payments/webhook-signature.ts";
import { account, createTestServices, product, rejection, stockOf, type TestEnv, viaCaller } from "../../testing/index.ts";

const SECRET = `whsec_${randomUUID()}${randomUUID()}`;
let env: TestEnv;
let simulator: PaymentSimulator;
beforeAll(async () => {
  simulator = createPaymentSimulator({ webhookSecret: SECRET, settlement: "async" });
  env = await createTestServices({ WEBHOOK_SECRET: SECRET }, { payments: simulator });
});
afterAll(() => env.cleanup());

/** A buyer's checkout of `quantity` units, left pending_payment by the async simulator. */
async function pendingOrder(method = "pm_card_visa", quantity = 2) {
  const [s, buyer] = [await account(env, { role: "seller" }), await account(env, { role: "buyer" })];
  const item = await product(env, s.id, { stock: 5, priceCents: 700 });
  await buyer.caller.cart.add({ product_id: item.id, quantity });
  const [order] = (await buyer.withKey(randomUUID()).checkout.place({ payment_method: method })).data.orders;
  return { buyer, item, order: order! };
}

/** The order's row with its events and history rows, as stored. */
async function orderNow(id: string) {
  const db = env.services.db.kysely;
  const order = await db.selectFrom("orders").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const events = await db.selectFrom("payment_events").selectAll().where("order_id", "=", id).orderBy("received_at").orderBy("id").execute();
  const history = await db.selectFrom("order_history").selectAll().where("order_id", "=", id).orderBy("id").execute();
  return { ...order, events, history };
}

/** Delivers one event, signed by us, with an optional signature header of our own. */
function send(event: Record<string, unknown>, signature?: string) {
  const body = JSON.stringify(event);
  return env.caller({ body: Buffer.from(body), headers: { "tessera-signature": signature ?? signWebhook(SECRET, body) } }).payments.webhook(event);
}

describe("payment webhook", () => {
  it("moves a pending order to paid on charge.succeeded, appending the event id; a redelivery changes nothing", async () => {
    const { buyer, order, item } = await pendingOrder();
    expect(order).toMatchObject({ status: "pending_payment", payment: { status: "pending", charge_id: expect.stringMatching(/^ch_/) } });
    expect(await stockOf(env, item.id)).toBe(3);
    const [event] = simulator.pendingEvents().filter((e) => e.data.order_id === order.id);
    expect(await simulator.deliver(viaCaller(env))).toEqual(expect.arrayContaining([{ event, status: 200 }]));
    const paid = (await buyer.caller.orders.get({ id: order.id })).data;
    expect(paid).toMatchObject({ status: "paid", payment: { status: "succeeded", events: [event!.id] } });
    expect(paid.history.map((h) => h.status)).toEqual(["pending_payment", "paid"]);

    expect(await send(event!)).toEqual({ status: "success", message: "Event received." });
    expect((await buyer.caller.orders.get({ id: order.id })).data).toEqual(paid);
  });

  it("moves a pending order to payment_failed on charge.failed, restoring its stock", async () => {
    const { buyer, order, item } = await pendingOrder("pm_card_insufficientFunds", 4);
    expect(await stockOf(env, item.id)).toBe(1);
    await simulator.deliver(viaCaller(env));
    const failed = (await buyer.caller.orders.get({ id: order.id })).data;
    expect(failed).toMatchObject({ status: "payment_failed", payment: { status: "failed", events: [expect.stringMatching(/^evt_/)] } });
    expect(await stockOf(env, item.id)).toBe(5);
  });

  it("moves a paid order to cancelled on charge.refunded (a refund made at the provider), restoring its stock", async () => {
    const { buyer, order, item } = await pendingOrder();
    await simulator.deliver(viaCaller(env));
    await simulator.refund({ chargeId: order.payment.charge_id!, orderId: order.id, amountCents: 1400, currency: "USD", idempotencyKey: randomUUID() });
    await simulator.deliver(viaCaller(env));
    const cancelled = (await buyer.caller.orders.get({ id: order.id })).data;
    expect(cancelled).toMatchObject({ status: "cancelled", payment: { status: "refunded" } });
    expect(cancelled.payment.events).toHaveLength(2);
    expect(cancelled.history.map((h) => h.status)).toEqual(["pending_payment", "paid", "cancelled"]);
    expect(await stockOf(env, item.id)).toBe(5);
  });

  it("acknowledges, and changes nothing for, events that do not fit the order, name no order, or another charge", async () => {
    const { order } = await pendingOrder();
    await simulator.deliver(viaCaller(env));
    const before = await orderNow(order.id);
    const base = { created: Math.floor(Date.now() / 1000), data: { charge_id: order.payment.charge_id!, order_id: order.id, amount_cents: 1400, currency: "USD" } };
    const misfits = [
      { ...base, id: `evt_${randomUUID()}`, type: "charge.succeeded" }, // already paid
      { ...base, id: `evt_${randomUUID()}`, type: "charge.failed" }, // only from pending_payment
      { ...base, id: `evt_${randomUUID()}`, type: "charge.refunded", data: { ...base.data, amount_cents: 1 } }, // not this amount
      { ...base, id: `evt_${randomUUID()}`, type: "charge.refunded", data: { ...base.data, charge_id: "ch_other" } }, // not this charge
      { ...base, id: `evt_${randomUUID()}`, type: "charge.refunded", data: { ...base.data, currency: "EUR" } },
      { ...base, id: `evt_${randomUUID()}`, type: "charge.refunded", data: { ...base.data, order_id: randomUUID() } }, // no such order
      { ...base, id: `evt_${randomUUID()}`, type: "charge.refunded", data: { ...base.data, order_id: "not-an-id" } },
      { ...base, id: `evt_${randomUUID()}`, type: "customer.created", data: {} }, // a type Tessera does not act on
    ];
    for (const event of misfits) expect(await send(event)).toEqual({ status: "success", message: "Event received." });
    expect(await orderNow(order.id)).toEqual(before);
    // Each was recorded (a redelivery is recognised), none as one of the order's events.
    const stored = await env.services.db.kysely.selectFrom("payment_events").selectAll().where("id", "in", misfits.map((e) => e.id)).execute();
    expect(stored.map((e) => e.order_id)).toEqual(misfits.map(() => null));
  });

  it("refuses a bad, missing or stale signature with INVALID_SIGNATURE, and signed bytes that are not an event with INVALID_REQUEST", async () => {
    const { order } = await pendingOrder();
    const event = simulator.pendingEvents().find((e) => e.data.order_id === order.id)!;
    const body = JSON.stringify(event);
    const stale = signWebhook(SECRET, body, Math.floor(Date.now() / 1000) - 301);
    for (const signature of ["", "t=1,v1=00", signWebhook("not the secret", body), stale]) {
      expect((await rejection(send(event, signature))).appCode).toBe("INVALID_SIGNATURE");
    }
    const missing = await rejection(env.caller({ body: Buffer.from(body) }).payments.webhook(event));
    expect(missing.appCode).toBe("INVALID_SIGNATURE");
    // Signed over other bytes than those received (a re-serialised body): refused.
    const tampered = await rejection(env.caller({ body: Buffer.from(`${body} `), headers: { "tessera-signature": signWebhook(SECRET, body) } }).payments.webhook(event));
    expect(tampered.appCode).toBe("INVALID_SIGNATURE");
    expect((await rejection(send({ ...event, data: { ...event.data, amount_cents: -1 } }))).appCode).toBe("INVALID_REQUEST");
    expect((await orderNow(order.id)).status).toBe("pending_payment");
    await simulator.deliver(viaCaller(env));
  });

  it("over tRPC (no raw body) checks the signature over the input's compact JSON; input too deep for that is INVALID_REQUEST", async () => {
    const { order } = await pendingOrder();
    const event = simulator.pendingEvents().find((e) => e.data.order_id === order.id)!;
    const signature = signWebhook(SECRET, JSON.stringify(event));
    expect(await env.caller({ headers: { "tessera-signature": signature } }).payments.webhook(event)).toEqual({ status: "success", message: "Event received." });
    expect((await orderNow(order.id)).status).toBe("paid");
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const error = await rejection(env.caller({ headers: { "tessera-signature": signature } }).payments.webhook({ ...event, deep }));
    expect(error.appCode).toBe("INVALID_REQUEST");
    await simulator.deliver(viaCaller(env));
  });

  it("applies one of two concurrent deliveries of one event", async () => {
    const { order } = await pendingOrder();
    const event = simulator.pendingEvents().find((e) => e.data.order_id === order.id)!;
    await Promise.all(Array.from({ length: 5 }, () => send(event)));
    const after = await orderNow(order.id);
    expect([after.status, after.events.map((e) => e.id), after.history.length]).toEqual(["paid", [event.id], 2]);
    await simulator.deliver(viaCaller(env));
  });
});
