import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Webhook signatures (docs/contract.md): HMAC-SHA256 with the shared secret over `<t>.<raw body>`, sent as
 * `Tessera-Signature: t=<unix seconds>,v1=<hex>`. Several v1 entries may be sent (one per secret while a secret is
 * rotated); one match is enough. The timestamp is signed too, so an old delivery cannot be replayed with a new one.
 */
export const SIGNATURE_HEADER = "tessera-signature";
/** How far the signed time may be from ours, either way. */
export const TOLERANCE_SECONDS = 5 * 60;

const nowSeconds = () => Math.floor(Date.now() / 1000);

const digest = (secret: string, timestamp: number, rawBody: Buffer | string) =>
  createHmac("sha256", secret).update(`${timestamp}.`).update(rawBody).digest();

/** The header value for `rawBody` signed at `timestamp`. */
export function signWebhook(secret: string, rawBody: Buffer | string, timestamp = nowSeconds()): string {
  return `t=${timestamp},v1=${digest(secret, timestamp, rawBody).toString("hex")}`;
}

/** Why a signature header is refused; undefined when it is good. */
export function signatureProblem(secret: string, rawBody: Buffer, header: string | undefined, now = nowSeconds()): string | undefined {
  if (!header) return "missing";
  let timestamp: number | undefined;
  const candidates: Buffer[] = [];
  for (const part of header.split(",")) {
    const [name, value = ""] = part.trim().split("=", 2);
    if (name === "t" && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (name === "v1" && /^[0-9a-f]{64}$/i.test(value)) candidates.push(Buffer.from(value, "hex"));
  }
  if (timestamp === undefined || candidates.length === 0) return "malformed";
  if (Math.abs(now - timestamp) > TOLERANCE_SECONDS) return "outside the tolerance";
  const expected = digest(secret, timestamp, rawBody);
  // Every candidate is compared in full and in constant time: the answer's timing tells nothing about the secret.
  const matches = candidates.map((candidate) => timingSafeEqual(candidate, expected));
  return matches.includes(true) ? undefined : "no match";
}
