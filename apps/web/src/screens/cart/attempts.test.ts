import { TesseraError } from "@tessera/sdk";
import { describe, expect, it } from "vitest";
import { keyFor, newIdempotencyKey } from "./attempts.ts";

const last = { payment_method: "pm_card_visa", key: "web-first" };
const unanswered = new TesseraError("fetch failed", { code: "NETWORK_ERROR" });
const declined = new TesseraError("Payment declined: Your card was declined.", { code: "PAYMENT_DECLINED" });

describe("the Idempotency-Key of a checkout attempt", () => {
  it("is fresh for a first attempt, and different every time", () => {
    const keys = new Set(Array.from({ length: 50 }, () => keyFor("pm_card_visa", undefined, null)));
    expect(keys.size).toBe(50);
    expect(newIdempotencyKey()).toMatch(/^web-[0-9a-f]{32}$/);
  });

  it("is reused when the last attempt got no answer and the card is the same (it may have been charged)", () => {
    expect(keyFor("pm_card_visa", last, unanswered)).toBe("web-first");
  });

  it("is fresh after an answer (a decline is recorded under its key) or with another card", () => {
    expect(keyFor("pm_card_visa", last, declined)).not.toBe("web-first");
    expect(keyFor("pm_card_mastercard", last, unanswered)).not.toBe("web-first");
  });
});
