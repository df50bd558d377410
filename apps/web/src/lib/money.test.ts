import { describe, expect, it } from "vitest";
import { formatMoney, minorDigits, parseAmount, toDecimal } from "./money.ts";

describe("money between the API's minor units and people", () => {
  it("knows each currency's minor units", () => {
    expect(minorDigits("USD")).toBe(2);
    expect(minorDigits("JPY")).toBe(0);
    expect(minorDigits("BHD")).toBe(3);
  });

  it("writes minor units as decimal text without floating-point arithmetic", () => {
    expect(toDecimal(1250, "USD")).toBe("12.50");
    expect(toDecimal(5, "USD")).toBe("0.05");
    expect(toDecimal(0, "EUR")).toBe("0.00");
    expect(toDecimal(100_000_000, "USD")).toBe("1000000.00");
    expect(toDecimal(1999, "JPY")).toBe("1999");
    expect(toDecimal(-5, "USD")).toBe("-0.05");
  });

  it("formats an amount with its currency", () => {
    expect(formatMoney(1250, "USD")).toMatch(/12\.50/);
    expect(formatMoney(1250, "USD")).toMatch(/\$|US/);
  });

  it("reads a typed price as minor units, and leaves anything else for the API to refuse", () => {
    expect(parseAmount("12.5", "USD")).toBe(1250);
    expect(parseAmount(" 12.50 ", "USD")).toBe(1250);
    expect(parseAmount("12", "USD")).toBe(1200);
    expect(parseAmount("0.07", "USD")).toBe(7);
    expect(parseAmount("19.99", "USD")).toBe(1999); // 19.99 * 100 is 1998.9999… in floating point
    expect(parseAmount("500", "JPY")).toBe(500);
    expect(parseAmount("12.505", "USD")).toBe("12.505");
    expect(parseAmount("-1", "USD")).toBe("-1");
    expect(parseAmount("ten", "USD")).toBe("ten");
    expect(parseAmount("", "USD")).toBe("");
  });
});
