import { isUniqueViolation } from "@tessera/db";
import { AppError, done, success } from "../../envelope.ts";
import { decodeCursor, toPage } from "../../pagination.ts";
import { isoTime } from "../../time.ts";
import type { AuthedCall, AuthedContext } from "../../trpc.ts";
import { type entryInput, type keyInput, listCursor, type listInput } from "./data.schema.ts";
import { readEntry } from "./entry-reader.ts";
import { fromStored, toStored } from "./stored-value.ts";

const keyNotFound = () => new AppError("KEY_NOT_FOUND", "Key not found.");

/** Every query names the owner: another user's key is indistinguishable from a missing one. */
const entries = (ctx: AuthedContext) => ctx.services.db.kysely;

/** An update or delete that touched no row: the caller has no such key. */
const touchedOne = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }) => {
  if ((result.numUpdatedRows ?? result.numDeletedRows) !== 1n) throw keyNotFound();
};

export async function createEntry({ ctx, input }: AuthedCall<typeof entryInput>) {
  const now = new Date();
  try {
    // A plain insert: the primary key makes concurrent creates of one key give exactly one winner.
    // Within the user's key quota (409 QUOTA_EXCEEDED past it; services/quotas.ts).
    await ctx.services.quotas.create("keys", ctx.auth.user.id, () =>
      entries(ctx)
        .insertInto("data_entries")
        .values({ owner_id: ctx.auth.user.id, key: input.key, ...toStored(input.value), created_at: now, updated_at: now })
        .execute());
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("KEY_EXISTS", "Key already exists.");
    throw error;
  }
  return done("Data stored successfully.");
}

export async function getEntry({ ctx, input }: AuthedCall<typeof keyInput>) {
  const entry = await readEntry(ctx.services.db, ctx.auth.user.id, input.key);
  if (!entry) throw keyNotFound();
  return success(entry);
}

export async function updateEntry({ ctx, input }: AuthedCall<typeof entryInput>) {
  const result = await entries(ctx)
    .updateTable("data_entries")
    .set({ ...toStored(input.value), updated_at: new Date() })
    .where("owner_id", "=", ctx.auth.user.id)
    .where("key", "=", input.key)
    .executeTakeFirst();
  touchedOne(result);
  return done("Data updated successfully.");
}

export async function deleteEntry({ ctx, input }: AuthedCall<typeof keyInput>) {
  const result = await entries(ctx)
    .deleteFrom("data_entries")
    .where("owner_id", "=", ctx.auth.user.id)
    .where("key", "=", input.key)
    .executeTakeFirst();
  touchedOne(result);
  return done("Data deleted successfully.");
}

/** The smallest string above every string that starts with `prefix`, in code point order (SQLite's BINARY order). */
function prefixUpperBound(prefix: string): string | undefined {
  const codePoints = [...prefix];
  while (codePoints.length > 0) {
    const last = codePoints.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1; // skip the surrogate range
      return codePoints.join("") + String.fromCodePoint(next);
    }
  }
  return undefined;
}

export async function listEntries({ ctx, input }: AuthedCall<typeof listInput>) {
  const after = decodeCursor(input.cursor, listCursor)?.key;
  const prefix = input.prefix ?? "";
  const upper = prefixUpperBound(prefix);
  // The prefix is a key range, not LIKE: literal, case-sensitive, and a range scan of the primary key.
  let query = entries(ctx)
    .selectFrom("data_entries")
    .select(["key", "value", "value_encoded", "updated_at"])
    .where("owner_id", "=", ctx.auth.user.id)
    .where("key", after !== undefined && after >= prefix ? ">" : ">=", after !== undefined && after >= prefix ? after : prefix);
  if (upper !== undefined) query = query.where("key", "<", upper);
  const rows = await query.orderBy("key").limit(input.limit + 1).execute();
  return success(
    toPage(rows, input.limit, (row) => ({ key: row.key, value: fromStored(row), updated_at: isoTime(row.updated_at) }), (row) => ({ key: row.key })),
  );
}
