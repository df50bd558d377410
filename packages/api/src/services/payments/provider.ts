import { z } from "zod";

/**
 * The seam between Tessera and a card processor. The built-in simulator (simulator.ts) implements it; a real
 * processor's official SDK fits in one more file: createCharge → its "create and confirm a payment" call with
 * our idempotency key, refund → its refund call, parseWebhook → its signature check plus a mapping of its event
 * onto PaymentEvent. Amounts are integer minor units (cents) with an ISO 4217 currency, as everywhere in Tessera.
 */
export interface PaymentProvider {
  /** Recorded on each order as `payment.provider`. */
  readonly name: string;
  /** Whether the payment method exists; an unknown one is refused (400) before any stock is reserved. */
  isKnownPaymentMethod(paymentMethod: string): Promise<boolean>;
  /** Charges once per idempotency key: a retried call returns the first call's result, never a second charge. */
  createCharge(request: ChargeRequest): Promise<ChargeResult>;
  /** Refunds a succeeded charge in full, once per idempotency key. */
  refund(request: RefundRequest): Promise<RefundResult>;
  /**
   * The charge made under this idempotency key, as the processor has it now, or undefined when it made none (or no
   * longer knows it). Reconciliation asks this about checkouts that a crash interrupted between reserving and
   * settling: with a real processor, its "retrieve/search payments" call by our key or by the order id.
   */
  findCharge(idempotencyKey: string): Promise<ChargeRecord | undefined>;
  /**
   * The event of one webhook delivery, from its raw bytes and signature header. Throws WebhookSignatureError when
   * the signature is missing, wrong or too old, and WebhookPayloadError when signed bytes are not an event.
   */
  parseWebhook(rawBody: Buffer, signatureHeader: string | undefined): PaymentEvent;
}

export interface ChargeRequest {
  orderId: string;
  amountCents: number;
  currency: string;
  paymentMethod: string;
  idempotencyKey: string;
}

/** `pending`: the processor decides later and says so with a charge.succeeded or charge.failed event. */
export type ChargeResult =
  | { status: "succeeded"; chargeId: string }
  | { status: "pending"; chargeId: string }
  | { status: "declined"; chargeId: string; declineCode: string; message: string };

/** A charge as the processor has it now: its outcome (pending until it settles), and whether it was refunded. */
export type ChargeRecord = ChargeResult & { refunded: boolean };

export interface RefundRequest {
  chargeId: string;
  orderId: string;
  amountCents: number;
  currency: string;
  idempotencyKey: string;
}

export interface RefundResult {
  refundId: string;
}

export const PAYMENT_EVENT_TYPES = ["charge.succeeded", "charge.failed", "charge.refunded"] as const;
export type PaymentEventType = (typeof PAYMENT_EVENT_TYPES)[number];

const chargeData = z.object({
  charge_id: z.string().min(1).max(255),
  order_id: z.string().min(1).max(255),
  amount_cents: z.number().int().min(0),
  currency: z.string().regex(/^[A-Z]{3}$/),
  decline_code: z.string().max(255).optional(),
});

/**
 * A processor event as docs/contract.md defines it. Event types other than the three are valid events that Tessera
 * does not act on (processors send many), so only the envelope is required of them.
 */
export const paymentEventSchema = z.union([
  z.object({ id: z.string().min(1).max(255), type: z.enum(PAYMENT_EVENT_TYPES), created: z.number().int(), data: chargeData }),
  z.object({
    id: z.string().min(1).max(255),
    type: z.string().max(255).refine((type) => !(PAYMENT_EVENT_TYPES as readonly string[]).includes(type)),
    created: z.number().int(),
    data: z.record(z.string(), z.unknown()),
  }),
]);

export type PaymentEvent = z.infer<typeof paymentEventSchema>;
export type ChargeEvent = Extract<PaymentEvent, { type: PaymentEventType }>;

export const isChargeEvent = (event: PaymentEvent): event is ChargeEvent =>
  (PAYMENT_EVENT_TYPES as readonly string[]).includes(event.type);

export class WebhookSignatureError extends Error {
  override name = "WebhookSignatureError";
}

export class WebhookPayloadError extends Error {
  override name = "WebhookPayloadError";
}

/** A payment method the provider does not know reached createCharge (isKnownPaymentMethod was skipped). */
export class UnknownPaymentMethodError extends Error {
  override name = "UnknownPaymentMethodError";
}
