import { setTimeout as sleep } from "node:timers/promises";
import type { Database } from "@tessera/db";
import { AppError } from "../envelope.ts";
import type { EventBus, SubscribeOptions } from "./event-bus.ts";
import { EventQueueOverflow } from "./event-queue.ts";
import type { ServiceLogger } from "./redis.ts";

/** Who opened a stream, as authentication found them when it opened. */
export interface StreamCaller {
  userId: string;
  sessionId: string;
  role: string;
  /** The transport connection it came on (absent for createCaller): counted per connection, and cut if it stalls. */
  connection?: { destroy(): void; resetAndDestroy?(): unknown };
}

export interface LiveStreamLimits {
  perUser: number;
  perConnection: number;
}

/** What every process tells every other when `users` or `sessions` rows may have changed. */
export interface SessionChange {
  type: "changed";
}

export interface LiveStreams {
  /**
   * The caller's events from `subscribe`, for as long as the stream may live: refused (RATE_LIMITED) past the
   * per-user or per-connection limit; ended with INVALID_TOKEN once its session is revoked or gone, its user
   * deactivated or its role changed (the client authenticates again, which tells which); ended with NOT_READY
   * (which tRPC's client answers by reconnecting) when it fell too far behind.
   */
  serve<E>(
    caller: StreamCaller,
    signal: AbortSignal | undefined,
    subscribe: (signal: AbortSignal, options: SubscribeOptions) => AsyncIterable<E>,
  ): AsyncGenerator<E, void>;
  /** Streams open in this process. */
  open(): number;
  /** Stops watching for session changes. */
  close(): Promise<void>;
}

/** The one owner id on the session-change bus: every process listens to all changes. */
const EVERYONE = "all";
/** Rechecks of the open streams' sessions start at most this often, so a burst of logins costs a few queries. */
const RECHECK_INTERVAL_MS = 200;
/** Change notices go out at most this often (each makes every process recheck). */
const NOTIFY_INTERVAL_MS = 100;
/** Session ids per recheck query. */
const CHUNK = 500;
/**
 * A stream that fell behind is sent its error at its next read; one whose client still reads nothing after this
 * long has its connection closed (Node never times out a socket whose peer stopped reading).
 */
const CUT_STALLED_AFTER_MS = 5000;

/**
 * Closes a stalled stream's connection with a reset where the socket allows it (plain TCP): a normal close would
 * leave the unsent bytes in the kernel, waiting on a peer that reads nothing.
 */
function cut(connection: NonNullable<StreamCaller["connection"]>) {
  try {
    if (connection.resetAndDestroy) connection.resetAndDestroy();
    else connection.destroy();
  } catch {
    connection.destroy(); // a TLS socket cannot be reset
  }
}

/**
 * Runs `work` at most once per `intervalMs`. A call while it runs, or too soon after the last run, makes exactly one
 * run later (which sees everything up to then), however many calls came meanwhile. Throttling libraries do not
 * wait for an async run to finish before the next, hence these few lines.
 */
function coalesced(work: () => Promise<unknown>, intervalMs: number, onError: (error: unknown) => void) {
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let lastStart = Number.NEGATIVE_INFINITY;
  let stopped = false;
  const start = () => {
    timer = undefined;
    if (stopped) return;
    lastStart = Date.now();
    running = work().then(() => undefined, onError).finally(() => {
      running = undefined;
      if (again) {
        again = false;
        request();
      }
    });
  };
  const request = () => {
    if (stopped || timer) return; // a run is due: it will see this change too
    if (running) {
      again = true; // the running one may have read before this change
      return;
    }
    const wait = lastStart + intervalMs - Date.now();
    if (wait <= 0) return start();
    timer = setTimeout(start, wait);
    timer.unref();
  };
  return Object.assign(request, {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  });
}

const sessionEnded = () => new AppError("INVALID_TOKEN", "The session of this stream has ended.");
const accessChanged = () => new AppError("INVALID_TOKEN", "The account's role changed: subscribe again.");
const fellBehind = (max: number) =>
  new AppError("NOT_READY", `This stream fell more than ${max} events behind and was closed: reconnect, then refetch.`);

interface OpenStream {
  caller: StreamCaller;
  controller: AbortController;
  /** Why the server ended it, told to the client when its events run out. */
  ending?: AppError;
}

/**
 * Open live streams (tasks.onChange, orders.onChange) of this process: their limits, and their end when their
 * session no longer stands. A stream authenticates once, when it opens; afterwards every write to `users` or
 * `sessions` made by any process (logout, refresh-token reuse, deactivation, role change, deletion — whatever code
 * path makes it: the database's write watch sees every statement) is announced on `changes` (Redis pub/sub across
 * processes), and each process then reads the sessions of its open streams again, in one query per 500, and ends
 * those whose session is revoked or gone, whose user is inactive, or whose role changed. tRPC's 5-minute limit on a
 * stream's life stays as the backstop for a notice that was lost (Redis down).
 */
export function createLiveStreams(
  db: Database,
  limits: LiveStreamLimits,
  changes: EventBus<SessionChange>,
  logger: ServiceLogger,
): LiveStreams {
  const streams = new Set<OpenStream>();
  const perUser = new Map<string, number>();
  const perConnection = new Map<object, number>();
  const bump = <K>(counts: Map<K, number>, key: K, by: number) => {
    const next = (counts.get(key) ?? 0) + by;
    if (next > 0) counts.set(key, next);
    else counts.delete(key);
  };

  const end = (stream: OpenStream, reason: AppError) => {
    stream.ending ??= reason;
    stream.controller.abort();
  };

  const recheck = coalesced(async () => {
    if (streams.size === 0) return;
    const checked = [...streams];
    const ids = [...new Set(checked.map((stream) => stream.caller.sessionId))];
    const current = new Map<string, { revoked: boolean; active: boolean; role: string }>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await db.kysely
        .selectFrom("sessions")
        .innerJoin("users", "users.id", "sessions.user_id")
        .select(["sessions.id", "sessions.revoked_at", "users.is_active", "users.role"])
        .where("sessions.id", "in", ids.slice(i, i + CHUNK))
        .execute();
      for (const row of rows) current.set(row.id, { revoked: row.revoked_at !== null, active: row.is_active, role: row.role });
    }
    for (const stream of checked) {
      const session = current.get(stream.caller.sessionId);
      if (!session || session.revoked || !session.active) end(stream, sessionEnded());
      else if (session.role !== stream.caller.role) end(stream, accessChanged());
    }
  }, RECHECK_INTERVAL_MS, (error) => logger.warn({ err: error }, "live streams: sessions could not be checked; next change retries"));

  const notify = coalesced(() => changes.publish(EVERYONE, { type: "changed" }), NOTIFY_INTERVAL_MS, () => undefined);
  const unwatch = db.onWrite(["users", "sessions"], notify);

  const closing = new AbortController();
  const listening = (async () => {
    while (!closing.signal.aborted) {
      try {
        for await (const _change of changes.subscribe(EVERYONE, closing.signal)) recheck();
      } catch (error) {
        if (closing.signal.aborted) break;
        logger.warn({ err: error }, "live streams: session changes not heard; listening again");
        await sleep(1000, undefined, { signal: closing.signal }).catch(() => undefined);
      }
    }
  })();

  const admit = (caller: StreamCaller) => {
    if ((perUser.get(caller.userId) ?? 0) >= limits.perUser) {
      throw new AppError("RATE_LIMITED", `Too many live streams: at most ${limits.perUser} per user. Close one first.`);
    }
    if (caller.connection && (perConnection.get(caller.connection) ?? 0) >= limits.perConnection) {
      throw new AppError("RATE_LIMITED", `Too many live streams on one connection: at most ${limits.perConnection}.`);
    }
  };

  return {
    async *serve(caller, signal, subscribe) {
      admit(caller);
      const stream: OpenStream = { caller, controller: new AbortController() };
      streams.add(stream);
      bump(perUser, caller.userId, 1);
      if (caller.connection) bump(perConnection, caller.connection, 1);
      const onGone = () => stream.controller.abort();
      signal?.addEventListener("abort", onGone, { once: true });
      if (signal?.aborted) onGone();
      let stalled: NodeJS.Timeout | undefined;
      const onOverflow = () => {
        const { connection } = caller;
        if (!connection) return;
        stalled = setTimeout(() => cut(connection), CUT_STALLED_AFTER_MS);
        stalled.unref();
      };
      try {
        // A revocation that landed between authentication and now was announced before this stream was counted.
        recheck();
        try {
          yield* subscribe(stream.controller.signal, { onOverflow });
        } catch (error) {
          if (error instanceof EventQueueOverflow) throw fellBehind(error.max);
          throw error;
        }
        if (stream.ending) throw stream.ending;
      } finally {
        clearTimeout(stalled);
        signal?.removeEventListener("abort", onGone);
        streams.delete(stream);
        bump(perUser, caller.userId, -1);
        if (caller.connection) bump(perConnection, caller.connection, -1);
      }
    },
    open: () => streams.size,
    async close() {
      unwatch();
      closing.abort();
      await Promise.all([recheck.stop(), notify.stop(), listening]);
      for (const stream of streams) stream.controller.abort();
    },
  };
}
