import { describe, expect, it } from "vitest";
import { z } from "zod";
import { inputValidationError } from "./validation.ts";

const schema = z.object({
  name: z.string().min(2),
  age: z.number().int().positive().optional(),
  kind: z.enum(["a", "b"]),
});
const codes = { age: "INVALID_AGE", kind: { missing: "GENDER_REQUIRED" } } as const;

const errorFor = (input: unknown) => {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error("expected a validation failure");
  return inputValidationError(parsed.error.issues, input, codes);
};

describe("inputValidationError", () => {
  it("names missing fields and lists every problem", () => {
    const error = errorFor({ age: -1 });
    expect(error.appCode).toBe("INVALID_REQUEST");
    expect(error.message).toContain("name");
    expect(error.details?.map((d) => d.path)).toEqual(["name", "age", "kind"]);
  });

  it("uses a field's missing code and the precedence order", () => {
    expect(errorFor({ name: "ok", kind: "", age: 1.5 }).appCode).toBe("GENDER_REQUIRED");
    expect(errorFor({ name: "ok", kind: "a", age: 0 }).appCode).toBe("INVALID_AGE");
    expect(errorFor({ name: "ok", kind: "zzz" }).appCode).toBe("INVALID_REQUEST");
  });
});
