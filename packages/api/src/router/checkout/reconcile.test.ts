/**
 * Reconciliation (issue 16, item 7) through createCaller: a checkout is stopped at each step as a crash would stop
 * it (the provider call never returns), then reconcile() runs as the next pass after the deadline would, and the
 * orders, the stock, the cart, the provider's charges and the key's recorded outcome are checked; also a request
 * that was only stuck and finishes after reconciliation, a retry that settles its key itself, and owed refunds.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppError } from "../../envelope.ts";
import type { PaymentProvider } from "../../services/payments/provider.ts";
import { createPaymentSimulator } from "../../services/payments/simulator.ts";
import { account, type Account, createTestServices, product, rejection, stockOf, type TestEnv } from "../../testing/index.ts";
import { reconcile } from "./reconcile.ts";

const simulator = createPaymentSimulator({ webhookSecret: "whsec_reconcile_test_secret_0123456789abcdef" });

/** Where the next checkout stops, as if its process died there: before it is known, before or after a charge. */
type Stop = "none" | "claimed" | "before-charge" | "after-charge" | "second-charge";
let stop: Stop = "none";
let charges = 0;
let releases: (() => void)[] = [];
const hang = () => new Promise<void>((resolve) => releases.push(resolve));
let refundsFail = false;

const provider: PaymentProvider = {
  ...simulator,
  async isKnownPaymentMethod(method) {
    if (stop === "claimed") await hang();
    return simulator.isKnownPaymentMethod(method);
  },
  async createCharge(request) {
    charges++;
    if (stop === "before-charge" || (stop === "second-charge" && charges === 2)) await hang();
    const result = await simulator.createCharge(request);
    if (stop === "after-charge") await hang();
    return result;
  },
  async refund(request) {
    if (refundsFail) throw new Error("processor unavailable");
    return simulator.refund(request);
  },
};

let env: TestEnv;
beforeAll(async () => {
  env = await createTestServices({ CHECKOUT_RECONCILE_INTERVAL_SECONDS: "0", CHECKOUT_SETTLE_DEADLINE_SECONDS: "30" }, { payments: provider });
});
afterAll(() => env.cleanup());

/** The next pass, as it would run once the deadline (30 s here) has passed. */
const nextPass = () => reconcile(env.services, new Date(Date.now() + 31_000));

/** Starts a checkout that stops at `where` (never answers unless released); resolves once it has stopped there. */
async function stuckCheckout(buyer: Account, where: Stop, card = "pm_card_visa") {
  stop = where;
  charges = 0;
  releases = [];
  const key = randomUUID();
  const request = buyer.withKey(key).checkout.place({ payment_method: card }).then((r) => r, (e: unknown) => e as AppError);
  for (let i = 0; i < 500 && releases.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(releases, "the checkout reached its stop").toHaveLength(1);
  stop = "none";
  return { key, request, release: () => releases.forEach((release) => release()) };
}

const ordersOf = (buyer: Account) => buyer.caller.orders.list({}).then((reply) => reply.data.items);
const chargeOf = (orderId: string) => simulator.charges().find((charge) => charge.orderId === orderId);

describe("a checkout stopped between reserving and settling", () => {
  it("charged: becomes paid, its lines leave the cart, and its key answers 201 with the order", async () => {
    const [shop, buyer] = [await account(env, { role: "seller" }), await account(env, { role: "buyer" })];
    const item = await product(env, shop.id, { stock: 5, priceCents: 700 });
    await buyer.caller.cart.add({ product_id: item.id, quantity: 2 });
    const { key } = await stuckCheckout(buyer, "after-charge");
    const [pending] = await ordersOf(buyer);
    expect(pending!.status).toBe("pending_payment");
    expect(await nextPass()).toMatchObject({ keys: 1 });
    const [order] = await ordersOf(buyer);
    expect([order!.status, order!.payment.status, order!.payment.charge_id]).toEqual(["paid", "succeeded", chargeOf(order!.id)!.id]);
    expect(await stockOf(env, item.id)).toBe(3);
    expect((await buyer.caller.cart.get()).data.items).toEqual([]);
    const replay = await buyer.withKey(key).checkout.place({ payment_method: "pm_card_visa" });
    expect(replay.data.orders.map((o) => [o.id, o.status])).toEqual([[order!.id, "paid"]]);
  });

  it("not charged: payment_failed with its stock back, the cart kept, and its key answers 402 processing_error", async () => {
    const [shop, buyer] = [await account(env, { role: "seller" }), await account(env, { role: "buyer" })];
    const item = await product(env, shop.id, { stock: 5 });
    await buyer.caller.cart.add({ product_id: item.id, quantity: 4 });
    const { key } = await stuckCheckout(buyer, "before-charge");
    expect(await stockOf(env, item.id)).toBe(1);
    await nextPass();
    const [order] = await ordersOf(buyer);
    expect([order!.status, order!.payment.status]).toEqual(["payment_failed", "failed"]);
    expect(await stockOf(env, item.id)).toBe(5);
    expect((await buyer.caller.cart.get()).data.items).toHaveLength(1);
    const error = await rejection(buyer.withKey(key).checkout.place({ payment_method: "pm_card_visa" }));
    expect(error.appCode).toBe("PAYMENT_DECLINED");
    expect(error.details).toEqual([{ path: "payment_method", message: expect.any(String), decline_code: "processing_error" }]);
  });

  it("declined: payment_failed, and its key answers with the card's decline", async () => {
    const [shop, buyer] = [await account(env, { role: "seller" }), await account(env, { role: "buyer" })];
    const item = await product(env, shop.id, { stock: 2 });
    await buyer.caller.cart.add({ product_id: item.id, quantity: 1 });
    const { key } = await stuckCheckout(buyer, "after-charge", "pm_card_insufficientFunds");
    await nextPass();
    expect((await ordersOf(buyer))[0]!.status).toBe("payment_failed");
    expect(await stockOf(env, item.id)).toBe(2);
    const error = await rejection(buyer.withKey(key).checkout.place({ payment_method: "pm_card_insufficientFunds" }));
    expect(error.details).toEqual([{ path: "payment_method", message: "Your card has insufficient funds.", decline_code: "insufficient_funds" }]);
  });

  it("of two sellers, one charged and one not: the charge is refunded and both orders fail", async () => {
    const [s1, s2, buyer] = [await account(env, { role: "seller" }), await account(env, { role: "seller" }), await account(env, { role: "buyer" })];
    const [a, b] = [await product(env, s1.id, { stock: 3 }), await product(env, s2.id, { stock: 3 })];
    await buyer.caller.cart.add({ product_id: a.id, quantity: 1 });
    await buyer.caller.cart.add({ product_id: b.id, quantity: 2 });
    await stuckCheckout(buyer, "second-charge");
    await nextPass();
    const orders = await ordersOf(buyer);
    expect(orders.map((o) => [o.seller.user_id, o.status, o.payment.status]).sort()).toEqual(
      [[s1.id, "payment_failed", "refunded"], [s2.id, "payment_failed", "failed"]].sort(),
    );
    expect(chargeOf(orders.find((o) => o.seller.user_id === s1.id)!.id)).toMatchObject({ status: "succeeded", refunded: true });
    expect([await stockOf(env, a.id), await stockOf(env, b.id)]).toEqual([3, 3]);
  });

  it("before reserving: nothing placed, the key answers processing_error, and the stuck request, released, places nothing", async () => {
    const [shop, buyer] = [await account(env, { role: "seller" }), await account(env, { role: "buyer" })];
    const item = await product(env, shop.id, { stock: 2 });
    await buyer.caller.cart.add({ product_id: item.id, quantity: 1 });
    const { key, request, release } = await stuckCheckout(buyer, "claimed");
    await nextPass();
    release();
    const late = await request;
    expect((late as AppError).appCode).toBe("PAYMENT_DECLINED");
    expect(await ordersOf(buyer)).toEqual([]);
    expect(await stockOf(env, item.id)).toBe(2);
    expect((await rejection(buyer.withKey(key).checkout.place({ payment_method: "pm_card_visa" }))).details![0]!.decline_code).toBe("processing_error");
  });

  it("a request only stuck, charging after reconciliation failed its order, refunds that charge and answers the recorded outcome", async () => {
    const [shop, buyer] = [await account(env, { role: "seller" }), await account(env, { role: "buyer" })];
    const item = await product(env, shop.id, { stock: 2 });
    await buyer.caller.cart.add({ product_id: item.id, quantity: 1 });
    const { request, release } = await stuckCheckout(buyer, "before-charge");
    await nextPass();
    release();
    const late = await request;
    expect((late as AppError).details![0]!.decline_code).toBe("processing_error");
    const [order] = await ordersOf(buyer);
    expect([order!.status, order!.payment.status]).toEqual(["payment_failed", "refunded"]);
    expect(chargeOf(order!.id)).toMatchObject({ status: "succeeded", refunded: true });
    expect(await stockOf(env, item.id)).toBe(2);
  });
});

describe("a retry of a stuck key", () => {
  it("settles the key itself once the deadline has passed, instead of waiting for 503", async () => {
    const local = await createTestServices({ CHECKOUT_RECONCILE_INTERVAL_SECONDS: "0", CHECKOUT_SETTLE_DEADLINE_SECONDS: "1" }, { payments: provider });
    try {
      const [shop, buyer] = [await account(local, { role: "seller" }), await account(local, { role: "buyer" })];
      const item = await product(local, shop.id, { stock: 2 });
      await buyer.caller.cart.add({ product_id: item.id, quantity: 1 });
      const { key } = await stuckCheckout(buyer, "after-charge");
      const replay = await buyer.withKey(key).checkout.place({ payment_method: "pm_card_visa" });
      expect(replay.data.orders.map((o) => o.status)).toEqual(["paid"]);
      expect(await stockOf(local, item.id)).toBe(1);
    } finally {
      await local.cleanup();
    }
  });
});

describe("a refund left owed", () => {
  it("is retried by the next pass once the provider refunds again", async () => {
    const [shop, buyer] = [await account(env, { role: "seller" }), await account(env, { role: "buyer" })];
    const item = await product(env, shop.id, { stock: 2 });
    await buyer.caller.cart.add({ product_id: item.id, quantity: 1 });
    const [placed] = (await buyer.withKey(randomUUID()).checkout.place({ payment_method: "pm_card_visa" })).data.orders;
    refundsFail = true;
    try {
      expect((await buyer.caller.orders.cancel({ id: placed!.id })).data.payment.status).toBe("refund_pending");
      expect(await nextPass()).toMatchObject({ refunds: 0 });
    } finally {
      refundsFail = false;
    }
    expect(await nextPass()).toMatchObject({ refunds: 1 });
    expect((await buyer.caller.orders.get({ id: placed!.id })).data.payment.status).toBe("refunded");
    expect(chargeOf(placed!.id)!.refunded).toBe(true);
  });
});
