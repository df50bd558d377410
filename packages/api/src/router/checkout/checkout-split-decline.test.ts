/**
 * A checkout across two sellers whose second charge is declined (a real processor may decline one card charge of
 * two): the first charge is refunded, both orders end payment_failed with their units back, the cart is kept.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { PaymentProvider } from "../../services/payments/provider.ts";
import { createPaymentSimulator } from "../../services/payments/simulator.ts";
import { account, createTestServices, product, rejection, stockOf, type TestEnv } from "../../testing/index.ts";

const simulator = createPaymentSimulator({ webhookSecret: "whsec_split_decline_test_secret_0123456789" });
let charges = 0;
/** The simulator, except that every second charge uses a card that is declined. */
const secondDeclines: PaymentProvider = {
  ...simulator,
  createCharge: (request) => simulator.createCharge({ ...request, paymentMethod: charges++ % 2 === 0 ? "pm_card_visa" : "pm_card_expired" }),
};

let env: TestEnv;
beforeAll(async () => {
  env = await createTestServices({}, { payments: secondDeclines });
});
afterAll(() => env.cleanup());

it("refunds the charge already made and fails every order of the checkout", async () => {
  const [s1, s2, buyer] = [await account(env, { role: "seller" }), await account(env, { role: "seller" }), await account(env, { role: "buyer" })];
  const [a, b] = [await product(env, s1.id, { stock: 3, priceCents: 500 }), await product(env, s2.id, { stock: 3, priceCents: 700 })];
  await buyer.caller.cart.add({ product_id: a.id, quantity: 2 });
  await buyer.caller.cart.add({ product_id: b.id, quantity: 1 });

  const error = await rejection(buyer.withKey(randomUUID()).checkout.place({ payment_method: "pm_card_visa" }));
  expect(error.appCode).toBe("PAYMENT_DECLINED");
  expect(error.details).toEqual([{ path: "payment_method", message: expect.any(String), decline_code: "expired_card" }]);

  const [first, second] = simulator.charges();
  expect([first?.status, first?.refunded, second?.status]).toEqual(["succeeded", true, "declined"]);
  const orders = (await buyer.caller.orders.list({})).data.items;
  expect(orders.map((o) => [o.seller.user_id, o.status, o.payment.status]).sort()).toEqual(
    [[s1.id, "payment_failed", "refunded"], [s2.id, "payment_failed", "failed"]].sort(),
  );
  expect([await stockOf(env, a.id), await stockOf(env, b.id)]).toEqual([3, 3]);
  expect((await buyer.caller.cart.get()).data.items).toHaveLength(2);
});
