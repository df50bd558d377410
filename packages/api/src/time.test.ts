import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoTime } from "./time.ts";

describe("isoTime", () => {
  it("writes what toISOString writes, for any instant", () => {
    fc.assert(fc.property(fc.date({ noInvalidDate: true }), (date) => isoTime(date) === date.toISOString()), { numRuns: 20_000 });
    for (const text of ["1000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", "0999-12-31T23:59:59.999Z", "+010000-01-01T00:00:00.000Z", "2024-02-29T12:05:09.007Z"]) {
      expect(isoTime(new Date(text))).toBe(text);
    }
  });
});
