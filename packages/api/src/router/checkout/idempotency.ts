import { setTimeout as sleep } from "node:timers/promises";
import { type Executor, isUniqueViolation } from "@tessera/db";
import { AppError, type ErrorEnvelope, httpStatusOf, toErrorEnvelope } from "../../envelope.ts";
import { type AuthedContext, headerOf, type RequestInfo } from "../../trpc.ts";
import { codePoints } from "../../validation.ts";

export const IDEMPOTENCY_HEADER = "idempotency-key";
export const MAX_KEY_LENGTH = 255;
/** How long a request waits for the first request with its key to finish before giving up (503). */
const WAIT_LIMIT_MS = 60_000;

/** The Idempotency-Key header: required (IDEMPOTENCY_KEY_REQUIRED), 1–255 characters (INVALID_REQUEST). */
export function idempotencyKeyOf(request: RequestInfo): string {
  const key = headerOf(request, IDEMPOTENCY_HEADER);
  if (key === undefined) {
    throw new AppError("IDEMPOTENCY_KEY_REQUIRED", "Send an Idempotency-Key header (1–255 characters) with every checkout.");
  }
  if (key === "" || codePoints(key) > MAX_KEY_LENGTH || key.includes("\u0000")) {
    throw new AppError("INVALID_REQUEST", "Invalid request. Invalid fields: Idempotency-Key.", {
      details: [{ path: "Idempotency-Key", message: `The Idempotency-Key must be 1–${MAX_KEY_LENGTH} characters.` }],
    });
  }
  return key;
}

/** A recorded answer: the HTTP status and the JSON body, success or error envelope. */
export interface Outcome {
  status: number;
  body: unknown;
}

/** Answers with a recorded outcome: returns a success body, throws the error it records. */
function replay<T>(outcome: Outcome, cause?: unknown): T {
  if (outcome.status < 400) return outcome.body as T;
  const envelope = outcome.body as ErrorEnvelope;
  throw new AppError(envelope.code, envelope.message, { details: envelope.details, cause });
}

async function run(work: () => Promise<unknown>, successStatus: number): Promise<Outcome & { cause?: unknown }> {
  try {
    return { status: successStatus, body: await work() };
  } catch (error) {
    // Recorded too: replaying a failure is safer than running a request again that may have charged.
    const envelope = toErrorEnvelope(error instanceof AppError ? error : new AppError("INTERNAL_SERVER_ERROR", "Internal server error."));
    return { status: httpStatusOf(envelope.code), body: envelope, cause: error instanceof AppError ? undefined : error };
  }
}

/** A key's record: `processing` (claimed), `reserved` (its orders are placed), `done` (its outcome recorded). */
export type KeyState = "processing" | "reserved" | "done";

/**
 * Records a key's outcome unless one is recorded already (by the request that owns the key, or by reconciliation
 * after a crash: whichever comes first wins, the other replays it). True when this call recorded it.
 */
export async function recordOutcome(db: Executor, userId: string, key: string, outcome: Outcome, from: readonly KeyState[]): Promise<boolean> {
  const { numUpdatedRows } = await db
    .updateTable("idempotency_records")
    .set({ state: "done", response_status: outcome.status, response_body: JSON.stringify(outcome.body), updated_at: new Date() })
    .where("user_id", "=", userId)
    .where("key", "=", key)
    .where("state", "in", from)
    .executeTakeFirst();
  return numUpdatedRows === 1n;
}

export interface KeyOptions {
  /** How long a request waits for the first request with its key before giving up with 503 NOT_READY. */
  waitLimitMs?: number;
  /**
   * A key unsettled past this long (its owner crashed, or is stuck) is settled by the request that waits for it,
   * with `settle`, instead of waiting on (what reconciliation would do a little later).
   */
  stale?: { afterMs: number; settle(record: { user_id: string; key: string; state: KeyState }): Promise<void> };
}

/**
 * Runs `work` once per (user, key): the first request inserts the key's record as `processing` (the primary key
 * makes one insert win, in any process), runs, and records its outcome, errors included. Every later request with
 * the key and the same payment method gets that recorded outcome, waiting for it while it is unsettled;
 * with another payment method it is IDEMPOTENCY_KEY_REUSED.
 */
export async function oncePerKey<T>(
  ctx: AuthedContext,
  key: string,
  paymentMethod: string,
  successStatus: number,
  work: () => Promise<T>,
  { waitLimitMs = WAIT_LIMIT_MS, stale }: KeyOptions = {},
): Promise<T> {
  const userId = ctx.auth.user.id;
  const now = new Date();
  const claimed = await ctx.services.db.kysely
    .insertInto("idempotency_records")
    .values({ user_id: userId, key, payment_method: paymentMethod, state: "processing", created_at: now, updated_at: now })
    .execute()
    .then(() => true, (error: unknown) => {
      if (isUniqueViolation(error)) return false;
      throw error;
    });
  if (!claimed) return replay(await recordedOutcome(ctx, userId, key, paymentMethod, waitLimitMs, stale));

  const outcome = await run(work, successStatus);
  if (await recordOutcome(ctx.services.db.kysely, userId, key, outcome, ["processing", "reserved"])) return replay(outcome, outcome.cause);
  // Reconciliation settled this key while the work was stuck: what it recorded is the key's one outcome.
  return replay(await recordedOutcome(ctx, userId, key, paymentMethod, waitLimitMs));
}

/** The outcome recorded for the key, once the request that owns it (or reconciliation) has finished. */
async function recordedOutcome(
  ctx: AuthedContext, userId: string, key: string, paymentMethod: string, waitLimitMs: number, stale?: KeyOptions["stale"],
): Promise<Outcome> {
  const deadline = Date.now() + waitLimitMs;
  for (let pause = 20; ; pause = Math.min(pause * 1.5, 250)) {
    const record = await ctx.services.db.kysely
      .selectFrom("idempotency_records")
      .select(["payment_method", "state", "response_status", "response_body", "updated_at"])
      .where("user_id", "=", userId)
      .where("key", "=", key)
      .executeTakeFirst();
    if (!record) throw new Error("idempotency record vanished");
    if (record.payment_method !== paymentMethod) {
      throw new AppError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was used with another payment method: use a new key for a new checkout.");
    }
    if (record.state === "done") return { status: record.response_status!, body: JSON.parse(record.response_body!) };
    // Settled here (conditionally, like reconciliation does it); the next read finds the outcome.
    if (stale && Date.now() - record.updated_at.getTime() > stale.afterMs) await stale.settle({ user_id: userId, key, state: record.state as KeyState });
    if (Date.now() > deadline) {
      throw new AppError("NOT_READY", "The first request with this Idempotency-Key is still being processed; retry later.");
    }
    await sleep(pause);
  }
}
