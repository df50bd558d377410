import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signatureProblem, signWebhook, TOLERANCE_SECONDS } from "./webhook-signature.ts";

const SECRET = "whsec_test_secret";
const NOW = 1_800_000_000;
const body = Buffer.from('{"id":"evt_1","type":"charge.succeeded"}');

describe("webhook signatures", () => {
  it("is HMAC-SHA256 over `<t>.<raw body>`, in `t=<unix>,v1=<hex>`", () => {
    const expected = createHmac("sha256", SECRET).update(`${NOW}.${body.toString()}`).digest("hex");
    expect(signWebhook(SECRET, body, NOW)).toBe(`t=${NOW},v1=${expected}`);
    expect(signatureProblem(SECRET, body, `t=${NOW},v1=${expected}`, NOW)).toBeUndefined();
  });

  it("refuses a changed body, another secret, a changed timestamp, and a missing or malformed header", () => {
    const header = signWebhook(SECRET, body, NOW);
    expect(signatureProblem(SECRET, Buffer.from(`${body} `), header, NOW)).toBe("no match");
    expect(signatureProblem("another secret", body, header, NOW)).toBe("no match");
    expect(signatureProblem(SECRET, body, header.replace(`t=${NOW}`, `t=${NOW + 1}`), NOW)).toBe("no match");
    for (const bad of [undefined, ""]) expect(signatureProblem(SECRET, body, bad, NOW)).toBe("missing");
    for (const bad of ["garbage", `t=${NOW}`, header.replace(/v1=/, "v0="), `t=abc,${header.split(",")[1]}`, `t=${NOW},v1=zz`]) {
      expect(signatureProblem(SECRET, body, bad, NOW), bad).toBe("malformed");
    }
  });

  it("accepts a timestamp up to 5 minutes off either way, and no more", () => {
    for (const offset of [-TOLERANCE_SECONDS, TOLERANCE_SECONDS]) {
      expect(signatureProblem(SECRET, body, signWebhook(SECRET, body, NOW + offset), NOW)).toBeUndefined();
    }
    for (const offset of [-TOLERANCE_SECONDS - 1, TOLERANCE_SECONDS + 1]) {
      expect(signatureProblem(SECRET, body, signWebhook(SECRET, body, NOW + offset), NOW)).toBe("outside the tolerance");
    }
  });

  it("accepts one matching v1 among several (secret rotation)", () => {
    const good = signWebhook(SECRET, body, NOW).split(",")[1]!;
    const other = signWebhook("old secret", body, NOW).split(",")[1]!;
    expect(signatureProblem(SECRET, body, `t=${NOW},${other},${good}`, NOW)).toBeUndefined();
    expect(signatureProblem(SECRET, body, `t=${NOW},${other}`, NOW)).toBe("no match");
  });
});
