import { isRecordNotFound, isUniqueViolation } from "@tessera/db";
import { AppError, done, success } from "../../envelope.ts";
import { decodeCursor, toPage } from "../../pagination.ts";
import type { AuthedCall as Call, AuthedContext as Authed } from "../../trpc.ts";
import { type entryInput, type keyInput, listCursor, type listInput } from "./data.schema.ts";
import { readEntry } from "./entry-reader.ts";

const keyNotFound = () => new AppError("KEY_NOT_FOUND", "Key not found.");

/** Every query names the owner: another user's key is indistinguishable from a missing one. */
const ownKey = (ctx: Authed, key: string) => ({ ownerId_key: { ownerId: ctx.auth.user.id, key } });

const rethrowNotFound = (error: unknown): never => {
  throw isRecordNotFound(error) ? keyNotFound() : error;
};

export async function createEntry({ ctx, input }: Call<typeof entryInput>) {
  const now = new Date();
  try {
    // A plain insert: the primary key makes concurrent creates of one key give exactly one winner.
    await ctx.services.db.prisma.dataEntry.create({
      data: { ownerId: ctx.auth.user.id, key: input.key, value: input.value, createdAt: now, updatedAt: now },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("KEY_EXISTS", "Key already exists.");
    throw error;
  }
  return done("Data stored successfully.");
}

export async function getEntry({ ctx, input }: Call<typeof keyInput>) {
  const entry = await readEntry(ctx.services.db, ctx.auth.user.id, input.key);
  if (!entry) throw keyNotFound();
  return success(entry);
}

export async function updateEntry({ ctx, input }: Call<typeof entryInput>) {
  await ctx.services.db.prisma.dataEntry
    .update({ where: ownKey(ctx, input.key), data: { value: input.value, updatedAt: new Date() }, select: { key: true } })
    .catch(rethrowNotFound);
  return done("Data updated successfully.");
}

export async function deleteEntry({ ctx, input }: Call<typeof keyInput>) {
  await ctx.services.db.prisma.dataEntry.delete({ where: ownKey(ctx, input.key), select: { key: true } }).catch(rethrowNotFound);
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

export async function listEntries({ ctx, input }: Call<typeof listInput>) {
  const after = decodeCursor(input.cursor, listCursor)?.key;
  const prefix = input.prefix ?? "";
  const upper = prefixUpperBound(prefix);
  // The prefix is a key range, not LIKE: literal, case-sensitive, and a range scan of the primary key.
  const rows = await ctx.services.db.prisma.dataEntry.findMany({
    where: {
      ownerId: ctx.auth.user.id,
      key: {
        ...(after !== undefined && after >= prefix ? { gt: after } : { gte: prefix }),
        ...(upper !== undefined && { lt: upper }),
      },
    },
    orderBy: { key: "asc" },
    take: input.limit + 1,
    select: { key: true, value: true, updatedAt: true },
  });
  return success(
    toPage(rows, input.limit, (row) => ({ key: row.key, value: row.value, updated_at: row.updatedAt.toISOString() }), (row) => ({ key: row.key })),
  );
}
