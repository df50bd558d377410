import type { Database } from "@tessera/db";
import DataLoader from "dataloader";
import { fromStored } from "./stored-value.ts";

interface OwnKey {
  ownerId: string;
  key: string;
}

export interface Entry {
  key: string;
  value: string;
}

const readers = new WeakMap<Database, DataLoader<OwnKey, Entry | null>>();

/** Keys are free of control characters (keySchema), so NUL cannot occur inside either part. */
const joined = (ownerId: string, key: string) => `${ownerId}\u0000${key}`;

async function readMany(db: Database, wanted: readonly OwnKey[]): Promise<(Entry | null)[]> {
  if (wanted.length === 1) {
    const { ownerId, key } = wanted[0]!;
    const entry = await db.kysely.selectFrom("data_entries").select(["key", "value", "value_encoded"]).where("owner_id", "=", ownerId).where("key", "=", key).executeTakeFirst();
    return [entry ? { key: entry.key, value: fromStored(entry) } : null];
  }
  const keysByOwner = new Map<string, string[]>();
  for (const { ownerId, key } of wanted) {
    const keys = keysByOwner.get(ownerId);
    if (keys) keys.push(key);
    else keysByOwner.set(ownerId, [key]);
  }
  const rows = await Promise.all(
    [...keysByOwner].map(([ownerId, keys]) =>
      db.kysely.selectFrom("data_entries").select(["owner_id", "key", "value", "value_encoded"]).where("owner_id", "=", ownerId).where("key", "in", keys).execute(),
    ),
  );
  const found = new Map(rows.flat().map((row) => [joined(row.owner_id, row.key), { key: row.key, value: fromStored(row) }]));
  return wanted.map((item) => found.get(joined(item.ownerId, item.key)) ?? null);
}

/**
 * One owner's entry, or null. Reads that arrive together (the calls of one tRPC batch reach this point before
 * any of them waits for the database) are answered by one query per owner instead of one query each. Nothing
 * is kept between batches (`cache: false`): every read sees the database as it is now.
 */
export function readEntry(db: Database, ownerId: string, key: string): Promise<Entry | null> {
  let reader = readers.get(db);
  if (!reader) {
    reader = new DataLoader((wanted: readonly OwnKey[]) => readMany(db, wanted), { cache: false, maxBatchSize: 500 });
    readers.set(db, reader);
  }
  return reader.load({ ownerId, key });
}
