import { z } from "zod";
import type { AppCode, FieldProblem } from "./envelope.ts";
import { AppError } from "./envelope.ts";

/**
 * Which contract code a field's validation problems carry. A string applies to every problem of
 * the field. Otherwise `missing` applies when the field is absent, null or empty, `invalid` when it
 * has the right type but a bad value; everything else (and unlisted fields) is INVALID_REQUEST.
 */
export type FieldCodes = Record<string, AppCode | { missing?: AppCode; invalid?: AppCode }>;

// docs/contract.md: "the code is the first that applies in this order".
const PRECEDENCE: AppCode[] = [
  "MISSING_FIELDS", "INVALID_REQUEST", "INVALID_KEY", "INVALID_VALUE", "GENDER_REQUIRED", "INVALID_AGE", "INVALID_PASSWORD",
];

interface Issue {
  code?: string;
  path: PropertyKey[];
  message: string;
}

interface Classified extends FieldProblem {
  code: AppCode;
  missing: boolean;
}

const isMissing = (value: unknown) =>
  value === undefined || value === null || (typeof value === "string" && value.trim() === "");

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function classify(issue: Issue, rawInput: unknown, codes: FieldCodes): Classified {
  const path = issue.path.map(String).join(".");
  if (issue.path.length === 0) {
    return { path: "", message: "The request body must be a JSON object.", code: "INVALID_REQUEST", missing: false };
  }
  const missing = isMissing(valueAt(rawInput, issue.path));
  const rule = codes[String(issue.path[0])];
  const wrongType = issue.code === "invalid_type";
  const code =
    typeof rule === "string" ? rule : ((missing ? rule?.missing : wrongType ? undefined : rule?.invalid) ?? "INVALID_REQUEST");
  return { path, message: missing ? "This field is required." : issue.message, code, missing };
}

function summary(code: AppCode, problems: Classified[]): string {
  const fields = (list: Classified[]) => [...new Set(list.map((p) => p.path))].join(", ");
  const missing = problems.filter((p) => p.missing);
  if (code === "MISSING_FIELDS") return `Missing required fields: ${fields(missing)}.`;
  if (code === "INVALID_REQUEST") {
    // docs/contract.md: the message names the fields; every field the details list, whatever code its own problem has.
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`Please provide all required fields: ${fields(missing)}.`);
    const invalid = problems.filter((p) => !p.missing && p.path !== "");
    if (invalid.length > 0) parts.push(`Invalid fields: ${fields(invalid)}.`);
    const whole = problems.find((p) => p.path === "");
    if (whole) parts.push(whole.message);
    return `Invalid request. ${parts.join(" ")}`.trim();
  }
  const first = problems.find((p) => p.code === code)!;
  return first.missing ? `The field ${first.path} is required.` : first.message;
}

/** Turns a schema's issues into the one contract error the caller sees, listing every problem. */
export function inputValidationError(issues: readonly Issue[], rawInput: unknown, codes: FieldCodes = {}): AppError {
  const problems = issues.map((issue) => classify(issue, rawInput, codes));
  const code = PRECEDENCE.find((c) => problems.some((p) => p.code === c)) ?? "INVALID_REQUEST";
  return new AppError(code, summary(code, problems), {
    details: problems.map(({ path, message }) => ({ path, message })),
  });
}

/**
 * Text that is stored (or compared in SQL) may not contain U+0000: PostgreSQL text cannot hold it, and
 * bcrypt would silently cut a password at it. Refused as a validation problem on every database alike.
 */
export const withoutNul = <T extends z.ZodString>(schema: T) =>
  schema.refine((value) => !value.includes("\u0000"), "Must not contain the NUL character (U+0000).");

/** Length in Unicode code points, as docs/contract.md counts "characters". */
export const codePoints = (value: string) => [...value].length;

/**
 * The patterns of the rules below, as the OpenAPI document states them (JSON Schema 2020-12: ECMA-262 regular
 * expressions, read with the u flag). JSON Schema's minLength/maxLength count code points, as docs/contract.md does.
 */
export const PATTERNS = {
  /** No U+0000. */
  noNul: String.raw`^[^\u0000]*$`,
  /** No U+0000, and something other than white space (what `trim() !== ""` accepts: \s is the same set). */
  notBlank: String.raw`^[^\u0000]*[^\s\u0000][^\u0000]*$`,
} as const;

/**
 * A text field whose rules are lengths in code points, "not blank" and "no NUL": checked by its refinements, and
 * stated to the document by the same numbers (minLength, maxLength, pattern), so the two cannot drift apart.
 */
export function text(rules: { max?: number; notBlank?: boolean; message: string; description?: string }) {
  const { max, notBlank = false } = rules;
  return withoutNul(z.string())
    .refine((value) => (!notBlank || value.trim() !== "") && (max === undefined || codePoints(value) <= max), rules.message)
    .meta({
      ...(notBlank && { minLength: 1 }),
      ...(max !== undefined && { maxLength: max }),
      pattern: notBlank ? PATTERNS.notBlank : PATTERNS.noNul,
      ...(rules.description !== undefined && { description: rules.description }),
    });
}
