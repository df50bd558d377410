/**
 * Money as the API speaks it: integer minor units (`*_cents`) and an ISO 4217 currency. Amounts are turned into
 * decimal text and back by moving the decimal point in the digits, never by floating-point arithmetic.
 */

/** How many minor units digits the currency has (2 for USD, 0 for JPY), as the runtime's ICU data says. */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2; // not a currency the runtime knows; the API refuses it anyway
  }
}

/** 1250 USD → "12.50"; −5 → "-0.05". */
export function toDecimal(cents: number, currency: string): string {
  const digits = minorDigits(currency);
  const text = String(Math.abs(cents)).padStart(digits + 1, "0");
  const whole = text.slice(0, text.length - digits);
  const fraction = digits > 0 ? `.${text.slice(text.length - digits)}` : "";
  return `${cents < 0 ? "-" : ""}${whole}${fraction}`;
}

/** "$12.50", in the reader's locale. */
export function formatMoney(cents: number, currency: string): string {
  const amount = toDecimal(cents, currency) as Intl.StringNumericLiteral;
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

/**
 * What a seller typed as a price ("12.5", "12.50", "12") in minor units (1250), or the text itself, trimmed, when
 * it is not an amount with at most the currency's digits: the API then refuses it with its own message.
 */
export function parseAmount(text: string, currency: string): number | string {
  const digits = minorDigits(currency);
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!match || (match[2] ?? "").length > digits) return text.trim();
  const cents = Number(`${match[1]}${(match[2] ?? "").padEnd(digits, "0")}`);
  return Number.isSafeInteger(cents) ? cents : text.trim();
}
