import { isTesseraError } from "@tessera/sdk";

/** One checkout attempt: the card, and the Idempotency-Key it is sent with. */
export interface CheckoutAttempt {
  payment_method: string;
  key: string;
}

/** A random key, made without crypto.randomUUID, which pages served over plain HTTP (not localhost) lack. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * The key of the next attempt: a fresh one, except for a retry of an attempt that got no answer at all (the network
 * failed) with the same card. That attempt may have been charged, so it is sent again with its key, and the server
 * answers with the first attempt's outcome instead of charging twice. Any answer, a decline included, was recorded
 * under its key, so the next attempt needs a new one to be tried at all.
 */
export function keyFor(paymentMethod: string, last: CheckoutAttempt | undefined, lastError: unknown): string {
  const unanswered = isTesseraError(lastError) && lastError.code === "NETWORK_ERROR";
  return unanswered && last?.payment_method === paymentMethod ? last.key : newIdempotencyKey();
}
