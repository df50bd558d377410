import { describe, expect, it } from "vitest";
import { fromLocalInput, toLocalInput } from "./dates.ts";

describe("task due dates between the form and the API", () => {
  it("round-trips an instant through the local input format, to the minute", () => {
    const iso = "2030-01-31T16:00:00.000Z";
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
  });

  it("sends an empty input as null and shows null as empty", () => {
    expect(fromLocalInput("  ")).toBeNull();
    expect(toLocalInput(null)).toBe("");
  });

  it("passes text that is no date on unchanged, so the API's message explains it", () => {
    expect(fromLocalInput("soon")).toBe("soon");
  });
});
