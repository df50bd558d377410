import type { Database } from "@tessera/db";
import { LRUCache } from "lru-cache";
import { AppError } from "../envelope.ts";

/** What a user's quota counts, and where: rows of `table` whose `owner_id` is the user. */
const COUNTED = {
  keys: { table: "data_entries", noun: "keys" },
  tasks: { table: "tasks", noun: "tasks" },
} as const;

export type QuotaKind = keyof typeof COUNTED;

export interface Quotas {
  /**
   * Runs `create` (one insert of a `kind` row for `ownerId`) unless the owner already has their limit of them:
   * 409 QUOTA_EXCEEDED then, and nothing is written.
   */
  create<T>(kind: QuotaKind, ownerId: string, create: () => Promise<T>): Promise<T>;
}

/**
 * Per-user limits (QUOTA_KEYS_PER_USER, QUOTA_TASKS_PER_USER). "Count, then insert" is a check over other rows than
 * the one written, so two creates at once could both see room for one. In this process one user's creates of one
 * kind run one after the other (a chain per user and kind, dropped when idle, so the map holds only users with a
 * create in flight), which makes the limit exact here on both databases; processes sharing a PostgreSQL database
 * may each let one create past it at the same moment (at most one per process: bounded). A SERIALIZABLE transaction
 * would make it exact there too, but PostgreSQL aborts all but one of a user's concurrent inserts into one index
 * range, and a batch of 20 creates would fail after the retries run out; a counter row would put a write on every
 * delete as well. No library keys a mutex by name with cleanup, hence the few lines of `serially`.
 *
 * Counting is the costly part (it reads every row the user has of that kind, thousands near the limit). With
 * `remember` (one server process: no REDIS_URL, as for the session cache) each user's count is remembered as an
 * upper bound: only this process inserts these rows, deletes only lower the true count, and an insert that fails
 * leaves the bound one too high, so while the bound is under the limit a create needs no count, and takes its
 * place by raising the bound before its insert starts, without waiting in the chain. At the limit (or for a user
 * not remembered) the create goes through the chain, which first lets the inserts still in flight finish, then
 * counts the rows again (after deletes there is room again). Bounds are kept for the most recent users only.
 */
export function createQuotas(
  db: Database,
  limits: Record<QuotaKind, number>,
  options: { remember: boolean; maxRemembered?: number } = { remember: false },
): Quotas {
  const bounds = options.remember ? new LRUCache<string, number>({ max: options.maxRemembered ?? 10_000 }) : undefined;
  const inFlight = new Map<string, Set<Promise<unknown>>>();
  const tracked = <T>(key: string, insert: Promise<T>): Promise<T> => {
    const running = inFlight.get(key) ?? new Set<Promise<unknown>>();
    inFlight.set(key, running);
    running.add(insert);
    const forget = () => {
      running.delete(insert);
      if (running.size === 0 && inFlight.get(key) === running) inFlight.delete(key);
    };
    insert.then(forget, forget);
    return insert;
  };
  const tails = new Map<string, Promise<void>>();
  const serially = async <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const before = tails.get(key) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = before.then(() => mine);
    tails.set(key, tail);
    await before;
    try {
      return await work();
    } finally {
      done();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };

  return {
    create(kind, ownerId, create) {
      const key = `${kind}:${ownerId}`;
      const { table, noun } = COUNTED[kind];
      const limit = limits[kind];
      const bound = bounds?.get(key);
      if (bound !== undefined && bound < limit) {
        bounds!.set(key, bound + 1);
        return tracked(key, create());
      }
      return serially(key, async () => {
        let count = bounds?.get(key);
        if (count === undefined || count >= limit) {
          await Promise.allSettled(inFlight.get(key) ?? []);
          const counted = await db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as("count"))
            .where("owner_id", "=", ownerId)
            .executeTakeFirstOrThrow();
          count = Number(counted.count);
        }
        bounds?.set(key, count >= limit ? count : count + 1);
        if (count >= limit) {
          // details name the resource, as on every QUOTA_EXCEEDED (the cart's lines, a seller's products).
          throw new AppError("QUOTA_EXCEEDED", `You have reached the limit of ${limit} ${noun}. Delete some to make room.`, {
            details: [{ path: kind, message: `At most ${limit} ${noun} per user.` }],
          });
        }
        return tracked(key, create());
      });
    },
  };
}
