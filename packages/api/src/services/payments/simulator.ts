import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type ChargeRequest, type ChargeResult, type PaymentEvent, paymentEventSchema, type PaymentProvider, type RefundRequest, type RefundResult,
  UnknownPaymentMethodError, WebhookPayloadError, WebhookSignatureError,
} from "./provider.ts";
import { SIGNATURE_HEADER, signatureProblem, signWebhook } from "./webhook-signature.ts";

/** A card processor's test mode: these payment methods and no others. null: the charge succeeds. */
const TEST_CARDS: Record<string, { declineCode: string; message: string } | null> = {
  pm_card_visa: null,
  pm_card_mastercard: null,
  pm_card_chargeDeclined: { declineCode: "generic_decline", message: "Your card was declined." },
  pm_card_insufficientFunds: { declineCode: "insufficient_funds", message: "Your card has insufficient funds." },
  pm_card_expired: { declineCode: "expired_card", message: "Your card has expired." },
};

export interface SimulatedCharge {
  id: string;
  /** The idempotency key it was made under. */
  idempotencyKey: string;
  orderId: string;
  amountCents: number;
  currency: string;
  paymentMethod: string;
  /** The outcome, even while the caller was told `pending` (async settlement). */
  status: "succeeded" | "declined";
  refunded: boolean;
}

export interface Delivery {
  event: PaymentEvent;
  /** HTTP status of the webhook's answer, or 0 when none came. */
  status: number;
}

export interface PaymentSimulator extends PaymentProvider {
  /**
   * Every charge made (the last maxCharges), in order, with its outcome (a retried charge with the same idempotency
   * key is not a second one).
   */
  charges(): SimulatedCharge[];
  /** Events not yet delivered (or not acknowledged with a 2xx), oldest first. */
  pendingEvents(): PaymentEvent[];
  /**
   * POSTs each pending event, signed now, to `<baseUrl>/api/payments/webhook` (or hands it to `send`), one after the
   * other, as a processor does; events answered with a 2xx leave the queue, the others stay for the next delivery.
   */
  deliver(to: string | WebhookSender): Promise<Delivery[]>;
}

/** Sends one signed delivery somewhere and says the HTTP status it got (0: no answer). */
export type WebhookSender = (rawBody: string, signature: string) => Promise<number>;

const postTo = (baseUrl: string): WebhookSender => (body, signature) =>
  fetch(`${baseUrl}/api/payments/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signature },
    body,
  }).then((res) => res.status, () => 0);

export interface SimulatorOptions {
  webhookSecret: string;
  /**
   * `sync` (the default): a charge succeeds or is declined at once. `async`: a charge is `pending` and its
   * outcome arrives only as a webhook event (as with processors that confirm later), to exercise that path.
   */
  settlement?: "sync" | "async";
  /**
   * Most charges kept (with their refunds): the oldest are forgotten past it, as a processor's idempotency keys
   * expire. findCharge then knows them no more, and a refund of one fails.
   */
  maxCharges?: number;
  /** Most undelivered events kept: past it, the oldest is dropped (a processor gives up on old deliveries too). */
  maxEvents?: number;
  /**
   * How long a charge or refund takes to answer (after the processor has decided), as a network round trip to a
   * real processor would: what a crash between a checkout's reservation and its settling can fall into.
   */
  latencyMs?: number;
}

export const DEFAULT_MAX_CHARGES = 10_000;
export const DEFAULT_MAX_EVENTS = 10_000;

const declineOf = (paymentMethod: string) => {
  const decline = TEST_CARDS[paymentMethod]!;
  return { declineCode: decline.declineCode, message: decline.message };
};

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The built-in payment provider: deterministic outcomes by test payment method, and signed webhook events. */
export function createPaymentSimulator({
  webhookSecret, settlement = "sync", maxCharges = DEFAULT_MAX_CHARGES, maxEvents = DEFAULT_MAX_EVENTS, latencyMs = 0,
}: SimulatorOptions): PaymentSimulator {
  const answer = async <T>(result: T): Promise<T> => (latencyMs > 0 ? sleep(latencyMs, result) : result);
  // Bounded memory (issue 16, item 9): Maps keep insertion order, so the first entry is the oldest charge.
  const charges = new Map<string, SimulatedCharge>();
  const chargesByKey = new Map<string, { charge: SimulatedCharge; result: ChargeResult }>();
  const refundsByKey = new Map<string, { chargeId: string; result: RefundResult }>();
  const queue: PaymentEvent[] = [];

  const remember = (charge: SimulatedCharge, result: ChargeResult) => {
    charges.set(charge.id, charge);
    chargesByKey.set(charge.idempotencyKey, { charge, result });
    while (charges.size > maxCharges) {
      const [oldest] = charges.values();
      charges.delete(oldest!.id);
      chargesByKey.delete(oldest!.idempotencyKey);
    }
    // Refunds of forgotten charges go with them (checked in bulk: refunds are rarer than charges).
    if (refundsByKey.size > maxCharges) for (const [key, refund] of refundsByKey) if (!charges.has(refund.chargeId)) refundsByKey.delete(key);
  };

  const emit = (type: "charge.succeeded" | "charge.failed" | "charge.refunded", charge: SimulatedCharge, declineCode?: string) => {
    if (queue.length >= maxEvents) queue.shift();
    queue.push({
      id: newId("evt"),
      type,
      created: nowSeconds(),
      data: {
        charge_id: charge.id,
        order_id: charge.orderId,
        amount_cents: charge.amountCents,
        currency: charge.currency,
        ...(declineCode !== undefined && { decline_code: declineCode }),
      },
    });
  };

  return {
    name: "simulator",

    async isKnownPaymentMethod(paymentMethod) {
      return Object.hasOwn(TEST_CARDS, paymentMethod);
    },

    // No await before the key is taken: two concurrent calls with one key cannot both charge.
    async createCharge(request: ChargeRequest) {
      const earlier = chargesByKey.get(request.idempotencyKey);
      if (earlier) return answer(earlier.result);
      if (!Object.hasOwn(TEST_CARDS, request.paymentMethod)) throw new UnknownPaymentMethodError(request.paymentMethod);
      const decline = TEST_CARDS[request.paymentMethod]!;
      const { orderId, amountCents, currency, paymentMethod, idempotencyKey } = request;
      const charge: SimulatedCharge = {
        id: newId("ch"), idempotencyKey, orderId, amountCents, currency, paymentMethod, status: decline ? "declined" : "succeeded", refunded: false,
      };
      emit(decline ? "charge.failed" : "charge.succeeded", charge, decline?.declineCode);
      // In async mode the event above is the only news of the outcome.
      const result: ChargeResult =
        settlement === "async" ? { status: "pending", chargeId: charge.id }
        : decline ? { status: "declined", chargeId: charge.id, declineCode: decline.declineCode, message: decline.message }
        : { status: "succeeded", chargeId: charge.id };
      remember(charge, result);
      return answer(result);
    },

    async refund(request: RefundRequest) {
      const earlier = refundsByKey.get(request.idempotencyKey);
      if (earlier) return answer(earlier.result);
      const charge = charges.get(request.chargeId);
      if (!charge || charge.status !== "succeeded" || charge.refunded) throw new Error(`charge ${request.chargeId} cannot be refunded`);
      charge.refunded = true;
      emit("charge.refunded", charge);
      const result = { refundId: newId("re") };
      refundsByKey.set(request.idempotencyKey, { chargeId: charge.id, result });
      return answer(result);
    },

    // What the processor says now: in async mode the outcome too, once the charge exists (its event is queued).
    async findCharge(idempotencyKey) {
      const known = chargesByKey.get(idempotencyKey);
      if (!known) return undefined;
      const { charge } = known;
      const outcome: ChargeResult =
        charge.status === "succeeded" ? { status: "succeeded", chargeId: charge.id }
        : { status: "declined", chargeId: charge.id, ...declineOf(charge.paymentMethod) };
      return { ...outcome, refunded: charge.refunded };
    },

    parseWebhook(rawBody, header) {
      const problem = signatureProblem(webhookSecret, rawBody, header);
      if (problem) throw new WebhookSignatureError(`Webhook signature ${problem}.`);
      let json: unknown;
      try {
        json = JSON.parse(rawBody.toString("utf8"));
      } catch {
        throw new WebhookPayloadError("The webhook body is not JSON.");
      }
      const parsed = paymentEventSchema.safeParse(json);
      if (!parsed.success) throw new WebhookPayloadError("The webhook body is not a payment event.");
      return parsed.data;
    },

    charges: () => [...charges.values()].map((charge) => ({ ...charge })),
    pendingEvents: () => [...queue],

    async deliver(to) {
      const send = typeof to === "string" ? postTo(to) : to;
      const deliveries: Delivery[] = [];
      for (const event of [...queue]) {
        const body = JSON.stringify(event);
        const status = await send(body, signWebhook(webhookSecret, body));
        deliveries.push({ event, status });
        if (status >= 200 && status < 300) queue.splice(queue.indexOf(event), 1);
      }
      return deliveries;
    },
  };
}
