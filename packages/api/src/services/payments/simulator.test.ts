import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { UnknownPaymentMethodError, WebhookPayloadError, WebhookSignatureError } from "./provider.ts";
import { createPaymentSimulator } from "./simulator.ts";
import { signatureProblem, signWebhook } from "./webhook-signature.ts";

const SECRET = "whsec_simulator_test";
let keys = 0;
const charge = (paymentMethod: string, idempotencyKey = `key-${keys++}`) => ({
  orderId: `order-${keys}`, amountCents: 1250, currency: "USD", paymentMethod, idempotencyKey,
});

describe("the payment simulator (test mode)", () => {
  it("charges pm_card_visa and pm_card_mastercard, and declines the three decline cards with their codes", async () => {
    const simulator = createPaymentSimulator({ webhookSecret: SECRET });
    expect(await simulator.createCharge(charge("pm_card_visa"))).toMatchObject({ status: "succeeded", chargeId: expect.stringMatching(/^ch_/) });
    expect(await simulator.createCharge(charge("pm_card_mastercard"))).toMatchObject({ status: "succeeded" });
    for (const [method, declineCode] of [
      ["pm_card_chargeDeclined", "generic_decline"], ["pm_card_insufficientFunds", "insufficient_funds"], ["pm_card_expired", "expired_card"],
    ] as const) {
      expect(await simulator.createCharge(charge(method))).toMatchObject({ status: "declined", declineCode, message: expect.any(String) });
    }
    expect(simulator.charges().map((c) => c.status)).toEqual(["succeeded", "succeeded", "declined", "declined", "declined"]);
    expect(simulator.pendingEvents().map((e) => e.type)).toEqual([
      "charge.succeeded", "charge.succeeded", "charge.failed", "charge.failed", "charge.failed",
    ]);
    expect(simulator.pendingEvents()[2]!.data).toMatchObject({ decline_code: "generic_decline", amount_cents: 1250, currency: "USD" });
  });

  it("knows no other payment method, and refuses to charge one", async () => {
    const simulator = createPaymentSimulator({ webhookSecret: SECRET });
    for (const method of ["pm_card_visa", "pm_card_expired"]) expect(await simulator.isKnownPaymentMethod(method)).toBe(true);
    for (const method of ["pm_card_amex", "", "PM_CARD_VISA", "toString", "__proto__"]) expect(await simulator.isKnownPaymentMethod(method)).toBe(false);
    await expect(simulator.createCharge(charge("tok_visa"))).rejects.toBeInstanceOf(UnknownPaymentMethodError);
    expect(simulator.charges()).toEqual([]);
  });

  it("charges once per idempotency key, even for concurrent calls", async () => {
    const simulator = createPaymentSimulator({ webhookSecret: SECRET });
    const results = await Promise.all(Array.from({ length: 20 }, () => simulator.createCharge(charge("pm_card_visa", "same-key"))));
    expect(new Set(results.map((r) => r.chargeId)).size).toBe(1);
    expect(simulator.charges()).toHaveLength(1);
    expect(simulator.pendingEvents()).toHaveLength(1);
  });

  it("answers pending in async settlement and tells the outcome by event only", async () => {
    const simulator = createPaymentSimulator({ webhookSecret: SECRET, settlement: "async" });
    expect((await simulator.createCharge(charge("pm_card_visa"))).status).toBe("pending");
    expect((await simulator.createCharge(charge("pm_card_expired"))).status).toBe("pending");
    expect(simulator.pendingEvents().map((e) => [e.type, e.data.decline_code])).toEqual([
      ["charge.succeeded", undefined], ["charge.failed", "expired_card"],
    ]);
  });

  it("refunds a succeeded charge once per key, and nothing else", async () => {
    const simulator = createPaymentSimulator({ webhookSecret: SECRET });
    const paid = await simulator.createCharge(charge("pm_card_visa"));
    const declined = await simulator.createCharge(charge("pm_card_chargeDeclined"));
    const refund = { orderId: "o", amountCents: 1250, currency: "USD" };
    const first = await simulator.refund({ ...refund, chargeId: paid.chargeId, idempotencyKey: "r1" });
    expect(await simulator.refund({ ...refund, chargeId: paid.chargeId, idempotencyKey: "r1" })).toEqual(first);
    await expect(simulator.refund({ ...refund, chargeId: paid.chargeId, idempotencyKey: "r2" })).rejects.toThrow();
    await expect(simulator.refund({ ...refund, chargeId: declined.chargeId, idempotencyKey: "r3" })).rejects.toThrow();
    expect(simulator.charges()[0]!.refunded).toBe(true);
    expect(simulator.pendingEvents().filter((e) => e.type === "charge.refunded")).toHaveLength(1);
  });

  it("parses a signed event, and refuses a bad signature or signed bytes that are not an event", () => {
    const simulator = createPaymentSimulator({ webhookSecret: SECRET });
    const event = { id: "evt_1", type: "charge.succeeded", created: 1, data: { charge_id: "ch_1", order_id: "o", amount_cents: 5, currency: "USD" } };
    const raw = Buffer.from(JSON.stringify(event));
    expect(simulator.parseWebhook(raw, signWebhook(SECRET, raw))).toEqual(event);
    expect(() => simulator.parseWebhook(raw, signWebhook("wrong", raw))).toThrow(WebhookSignatureError);
    expect(() => simulator.parseWebhook(raw, undefined)).toThrow(WebhookSignatureError);
    const signed = (value: string) => [Buffer.from(value), signWebhook(SECRET, value)] as const;
    for (const bad of ["not json", "[]", JSON.stringify({ ...event, data: { ...event.data, amount_cents: 1.5 } }), JSON.stringify({ ...event, id: "" })]) {
      expect(() => simulator.parseWebhook(...signed(bad)), bad).toThrow(WebhookPayloadError);
    }
    // Processors send event types Tessera does not act on: still events.
    const other = { id: "evt_2", type: "customer.created", created: 1, data: { anything: true } };
    expect(simulator.parseWebhook(...signed(JSON.stringify(other)))).toEqual(other);
  });

  it("delivers its events signed to the webhook route, keeping those not acknowledged with a 2xx", async () => {
    const received: { path: string; signature: string | undefined; body: string }[] = [];
    let answer = 500;
    const server = createServer((req: IncomingMessage, res) => {
      const parts: Buffer[] = [];
      req.on("data", (part: Buffer) => parts.push(part));
      req.on("end", () => {
        received.push({ path: req.url!, signature: req.headers["tessera-signature"] as string, body: Buffer.concat(parts).toString() });
        res.writeHead(answer).end("{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const simulator = createPaymentSimulator({ webhookSecret: SECRET });
      await simulator.createCharge(charge("pm_card_visa"));
      expect((await simulator.deliver(url)).map((d) => d.status)).toEqual([500]);
      expect(simulator.pendingEvents()).toHaveLength(1);
      answer = 200;
      expect((await simulator.deliver(url)).map((d) => d.status)).toEqual([200]);
      expect(simulator.pendingEvents()).toEqual([]);
      expect(received).toHaveLength(2);
      for (const delivery of received) {
        expect(delivery.path).toBe("/api/payments/webhook");
        expect(signatureProblem(SECRET, Buffer.from(delivery.body), delivery.signature)).toBeUndefined();
        expect(JSON.parse(delivery.body)).toMatchObject({ type: "charge.succeeded" });
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("the simulator's memory and lookups", () => {
  it("keeps at most maxCharges charges and maxEvents undelivered events, forgetting the oldest", async () => {
    const simulator = createPaymentSimulator({ webhookSecret: SECRET, maxCharges: 50, maxEvents: 30 });
    const keysMade: string[] = [];
    for (let i = 0; i < 200; i++) {
      const key = `bounded-${i}`;
      keysMade.push(key);
      const made = await simulator.createCharge(charge("pm_card_visa", key));
      if (i % 2 === 0) await simulator.refund({ chargeId: made.chargeId, orderId: "o", amountCents: 1250, currency: "USD", idempotencyKey: `refund-${i}` });
    }
    expect(simulator.charges()).toHaveLength(50);
    expect(simulator.charges()[0]!.idempotencyKey).toBe("bounded-150");
    expect(simulator.pendingEvents()).toHaveLength(30);
    expect(await simulator.findCharge("bounded-0")).toBeUndefined();
    expect(await simulator.findCharge("bounded-199")).toMatchObject({ status: "succeeded", refunded: false });
    expect(await simulator.findCharge("bounded-198")).toMatchObject({ status: "succeeded", refunded: true });
  });

  it("finds a charge by its idempotency key with its outcome, also in async settlement, and nothing for an unused key", async () => {
    const simulator = createPaymentSimulator({ webhookSecret: SECRET, settlement: "async" });
    const paid = await simulator.createCharge(charge("pm_card_visa", "found-paid"));
    await simulator.createCharge(charge("pm_card_insufficientFunds", "found-declined"));
    expect(paid.status).toBe("pending");
    expect(await simulator.findCharge("found-paid")).toEqual({ status: "succeeded", chargeId: paid.chargeId, refunded: false });
    expect(await simulator.findCharge("found-declined")).toMatchObject({ status: "declined", declineCode: "insufficient_funds", refunded: false });
    expect(await simulator.findCharge("never-used")).toBeUndefined();
  });
});
