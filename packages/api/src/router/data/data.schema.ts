import { z } from "zod";
import { envelopeSchema, messageEnvelopeSchema } from "../../envelope.ts";
import { cursorSchema, limitSchema, pageSchema } from "../../pagination.ts";
import { codePoints, type FieldCodes, PATTERNS, withoutNul } from "../../validation.ts";

const MAX_VALUE_BYTES = 64 * 1024;

const MAX_KEY = 255;

export const keySchema = z
  .string()
  .refine((key) => {
    const length = codePoints(key);
    return length >= 1 && length <= MAX_KEY && !/\p{Cc}/u.test(key);
  }, `Key must be 1–${MAX_KEY} characters with no control characters.`)
  .meta({
    minLength: 1,
    maxLength: MAX_KEY,
    pattern: String.raw`^\P{Cc}*$`,
    description: `1–${MAX_KEY} characters, no control characters. Percent-encoded in paths (a \`/\` as %2F).`,
  });

/**
 * Any string, NUL included (stored so that it reads back exactly on every database: ./stored-value.ts), of at most
 * 64 KiB in UTF-8. Bytes are at least code points, so maxLength is implied by the byte limit (which JSON Schema
 * cannot state: it is in the description).
 */
export const valueSchema = z
  .string()
  .refine((value) => Buffer.byteLength(value, "utf8") <= MAX_VALUE_BYTES, "Value must be at most 64 KiB in UTF-8.")
  .meta({ maxLength: MAX_VALUE_BYTES, description: "Any string of at most 64 KiB (65,536 bytes of UTF-8)." });

/** docs/contract.md: a missing or non-string key is INVALID_KEY, a missing or non-string value INVALID_VALUE. */
export const dataCodes: FieldCodes = { key: "INVALID_KEY", value: "INVALID_VALUE" };

export const keyInput = z.object({ key: keySchema });
export const entryInput = z.object({ key: keySchema, value: valueSchema });

export const listInput = z.object({
  limit: limitSchema,
  cursor: cursorSchema,
  prefix: withoutNul(z.string())
    .meta({ pattern: PATTERNS.noNul, description: "Only keys starting with this text (case-sensitive, no wildcards)." })
    .optional(),
});

export const listCursor = z.object({ key: z.string() });

export const dataItem = z.object({ key: z.string(), value: z.string(), updated_at: z.iso.datetime() }).meta({ id: "DataEntry" });

export const getOutput = envelopeSchema(z.object({ key: z.string(), value: z.string() }).meta({ id: "KeyValue" }));
export const listOutput = envelopeSchema(pageSchema(dataItem));
export const createdOutput = messageEnvelopeSchema("Data stored successfully.");
export const updatedOutput = messageEnvelopeSchema("Data updated successfully.");
export const deletedOutput = messageEnvelopeSchema("Data deleted successfully.");
