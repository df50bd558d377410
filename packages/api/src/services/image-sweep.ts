import type { Database } from "@tessera/db";
import type { ImageStorage } from "./image-storage.ts";
import type { ServiceLogger } from "./redis.ts";

/**
 * No image bytes without an image row, on either storage driver, whatever crashed when.
 *
 * The bytes are written before their row commits (an upload) and removed after their row is deleted (deleting an
 * image, a product's seller): a crash, a storage outage or a failed clean-up between the two leaves bytes that
 * nothing refers to. Removals after a commit go through removeOrphans, which remembers what failed; the sweep runs
 * at start and then periodically, and each run does bounded work:
 *  1. retries the removals that failed in this process (at most RETRY_LIMIT remembered; beyond that, and after a
 *     restart, step 3 finds them);
 *  2. deletes what writes interrupted by a crash left (partial files, upload spool files);
 *  3. checks the next page of stored keys (in key order, from where the last run stopped, starting over after the
 *     last page) against product_images, and removes those without a row that are older than the grace period.
 *     An upload's bytes are younger than that until its row commits, so an upload in flight is never touched.
 * Several processes may sweep the same storage at once: every step is idempotent.
 */
export interface ImageSweep {
  /** Removes the bytes of images whose rows are gone (committed). Never throws: what fails is left to the sweep. */
  removeOrphans(keys: readonly string[]): Promise<void>;
  /** One bounded run (see above); a run already under way is joined, not doubled. */
  run(): Promise<SweepReport>;
  /** A run now, then one every `intervalSeconds` (0: none after the first). */
  start(): void;
  /** No further runs; resolves once a run under way has finished. */
  stop(): Promise<void>;
}

export interface SweepReport {
  /** Stored keys looked at in this run's page. */
  scanned: number;
  /** Bytes without a row removed (retried removals included). */
  removed: number;
  /** Removals that failed again (left for a later run). */
  failed: number;
  /** Leftovers of interrupted writes deleted. */
  discarded: number;
}

export interface ImageSweepOptions {
  db: Database;
  storage: ImageStorage;
  logger: ServiceLogger;
  graceSeconds: number;
  intervalSeconds: number;
  /** Stored keys checked per run (one storage listing page and one indexed query). */
  pageSize?: number;
}

/** Failed removals remembered for a retry; the listing finds any beyond these. */
const RETRY_LIMIT = 1_000;

export function createImageSweep(options: ImageSweepOptions): ImageSweep {
  const { db, storage, logger } = options;
  const pageSize = options.pageSize ?? 1_000;
  const retry = new Set<string>();
  let cursor: string | undefined;
  let running: Promise<SweepReport> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  /**
   * Removes each key; returns how many went. At the first failure (the storage is likely down, and each attempt
   * may take its timeouts) the rest are not tried now: they are remembered (bounded) for the next run.
   */
  async function removeAll(keys: readonly string[]): Promise<{ removed: number; failed: number }> {
    let removed = 0;
    for (const [i, key] of keys.entries()) {
      try {
        await storage.remove(key);
        retry.delete(key);
        removed++;
      } catch (error) {
        const left = keys.slice(i);
        for (const later of left) if (retry.size < RETRY_LIMIT) retry.add(later);
        logger.warn({ err: error, storageKey: key, left: left.length }, "could not remove the bytes of deleted images; the image sweep will retry");
        return { removed, failed: left.length };
      }
    }
    return { removed, failed: 0 };
  }

  async function sweep(): Promise<SweepReport> {
    const retried = await removeAll([...retry]);
    const graceStart = new Date(Date.now() - options.graceSeconds * 1000);
    const discarded = await storage.discardUnfinished(graceStart);
    const page = await storage.list(cursor, pageSize);
    const old = page.objects.filter((object) => object.storedAt < graceStart).map((object) => object.key);
    const referenced = old.length === 0
      ? new Set<string>()
      : new Set((await db.kysely.selectFrom("product_images").select("storage_key").where("storage_key", "in", old).execute()).map((row) => row.storage_key));
    const orphans = old.filter((key) => !referenced.has(key));
    const swept = await removeAll(orphans);
    cursor = page.next;
    const report = { scanned: page.objects.length, removed: retried.removed + swept.removed, failed: retried.failed + swept.failed, discarded };
    if (report.removed > 0 || report.discarded > 0 || report.failed > 0) logger.info({ ...report }, "image sweep: bytes without an image row removed (or left for a retry)");
    return report;
  }

  const run = () =>
    (running ??= sweep().finally(() => {
      running = undefined;
    }));

  /** A failed run (storage or database unreachable) is logged and tried again at the next interval. */
  const runLogged = () =>
    void run().catch((error: unknown) => logger.warn({ err: error }, "image sweep failed; it runs again at its next interval"));

  return {
    async removeOrphans(keys) {
      await removeAll(keys);
    },
    run,
    start() {
      if (stopped || timer) return;
      runLogged();
      if (options.intervalSeconds > 0) {
        timer = setInterval(runLogged, options.intervalSeconds * 1000);
        timer.unref(); // the sweep never keeps a process alive
      }
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
