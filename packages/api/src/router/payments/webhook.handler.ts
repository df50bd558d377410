import { isUniqueViolation, type Transaction } from "@tessera/db";
import { AppError, done } from "../../envelope.ts";
import { isUuid } from "../../ids.ts";
import { type ChargeEvent, isChargeEvent, type PaymentEvent, WebhookPayloadError, WebhookSignatureError } from "../../services/payments/provider.ts";
import { SIGNATURE_HEADER } from "../../services/payments/webhook-signature.ts";
import { type Context, headerOf } from "../../trpc.ts";
import { announce, move } from "../orders/transitions.ts";

/**
 * The bytes the signature is over: the request body as sent, when the transport received the event as one body
 * (REST; RequestInfo.body). Otherwise (a tRPC call, whose input is parsed out of a batch) the signature must be
 * over the compact JSON of the input, which is what a sender that signs JSON.stringify(event) sends; input nested
 * too deep to serialise again cannot be that.
 */
function signedBytes(ctx: Context, input: object): Buffer {
  if (ctx.request.body) return ctx.request.body;
  try {
    return Buffer.from(JSON.stringify(input));
  } catch {
    throw new AppError("INVALID_REQUEST", "Invalid request. The event is nested too deeply.", { details: [{ path: "", message: "Not a payment event." }] });
  }
}

/** The provider's event, verified: INVALID_SIGNATURE for a bad, missing or stale signature, 400 for signed non-events. */
function verifiedEvent(ctx: Context, input: object): PaymentEvent {
  try {
    return ctx.services.payments.parseWebhook(signedBytes(ctx, input), headerOf(ctx.request, SIGNATURE_HEADER));
  } catch (error) {
    if (error instanceof WebhookSignatureError) throw new AppError("INVALID_SIGNATURE", `Invalid signature: ${error.message}`);
    if (error instanceof WebhookPayloadError) {
      throw new AppError("INVALID_REQUEST", `Invalid request. ${error.message}`, { details: [{ path: "", message: error.message }] });
    }
    throw error;
  }
}

/** Whether the event describes this order's charge: the same charge (once known), amount and currency. */
const describes = (event: ChargeEvent, order: { charge_id: string | null; total_cents: number; currency: string }) =>
  (order.charge_id === null || order.charge_id === event.data.charge_id) &&
  event.data.amount_cents === order.total_cents &&
  event.data.currency === order.currency;

/** The move an event asks for, if the order is where the event finds it; false when it does not fit. */
async function apply(tx: Transaction, event: ChargeEvent, at: Date): Promise<boolean> {
  const { order_id: orderId, charge_id: chargeId } = event.data;
  if (!isUuid(orderId)) return false;
  const order = await tx.selectFrom("orders").select(["charge_id", "total_cents", "currency"]).where("id", "=", orderId).executeTakeFirst();
  if (!order || !describes(event, order)) return false;
  switch (event.type) {
    case "charge.succeeded":
      return move(tx, orderId, "pending_payment", "paid", at, { charge_id: chargeId, payment_status: "succeeded" });
    case "charge.failed":
      return move(tx, orderId, "pending_payment", "payment_failed", at, { charge_id: chargeId, payment_status: "failed" });
    case "charge.refunded":
      return move(tx, orderId, "paid", "cancelled", at, { payment_status: "refunded" });
  }
}

/**
 * POST /api/payments/webhook. Every verified event's id is stored (its primary key is the replay protection: a
 * redelivered event changes nothing); the event moves its order only if it fits the order's state, in the same
 * transaction, and only then is its id one of the order's payment.events. Whatever the event, a verified one is
 * acknowledged with 200, so the provider stops redelivering it.
 */
export async function receiveWebhook({ ctx, input }: { ctx: Context; input: object }) {
  const event = verifiedEvent(ctx, input);
  const at = new Date();
  const outcome = await ctx.services.db.transaction(async (tx) => {
    if (await tx.selectFrom("payment_events").select("id").where("id", "=", event.id).executeTakeFirst()) return { seen: "duplicate" } as const;
    const changed = isChargeEvent(event) && (await apply(tx, event, at));
    const orderId = changed ? event.data.order_id : null;
    await tx.insertInto("payment_events").values({ id: event.id, type: event.type, order_id: orderId, received_at: at }).execute();
    return orderId ? ({ seen: "applied", orderId } as const) : ({ seen: "ignored" } as const);
  }).catch((error: unknown) => {
    // The same event delivered twice at once: the other delivery stored it (and applied it) first.
    if (isUniqueViolation(error)) return { seen: "duplicate" } as const;
    throw error;
  });
  ctx.services.metrics.webhookEvent(outcome.seen);
  if (outcome.seen === "applied") await announce(ctx, [outcome.orderId]);
  return done("Event received.");
}
