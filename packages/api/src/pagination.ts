import { z } from "zod";
import { AppError } from "./envelope.ts";

/**
 * `limit` of every list route: 1–100, default 20; out of range is an error, never clamped.
 * Strict like every number here (never coerced): the REST layer turns a query string's digits into a number.
 */
export const limitSchema = z.number().int().min(1).max(100)
  .default(20)
  .meta({ description: "Items per page, 1–100 (default 20)." });

export const cursorSchema = z.string().meta({ description: "Opaque cursor: next_cursor of the previous page." }).optional();

/** Cursors are opaque to callers: base64url of a small JSON position. */
export const encodeCursor = (position: object): string => Buffer.from(JSON.stringify(position)).toString("base64url");

export function decodeCursor<T>(cursor: string | undefined, position: z.ZodType<T>): T | undefined {
  if (cursor === undefined) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    decoded = undefined;
  }
  const parsed = position.safeParse(decoded);
  if (!parsed.success) {
    throw new AppError("INVALID_REQUEST", "Invalid request. The cursor is not valid.", {
      details: [{ path: "cursor", message: "Not a cursor returned by this list." }],
    });
  }
  return parsed.data;
}

/** Fetch `limit + 1` rows, then split them into the page and the cursor of what follows. */
export function toPage<Row, Item>(rows: Row[], limit: number, item: (row: Row) => Item, position: (row: Row) => object) {
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  return {
    items: pageRows.map(item),
    next_cursor: rows.length > limit && last !== undefined ? encodeCursor(position(last)) : null,
  };
}

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), next_cursor: z.string().nullable() });
