/** The key's record as another process would leave it: a request waits for its outcome, or gives up with 503. */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../envelope.ts";
import { account, createTestServices, rejection, type TestEnv } from "../../testing/index.ts";
import { type AuthedContext, createContext } from "../../trpc.ts";
import { oncePerKey } from "./idempotency.ts";

let env: TestEnv;
let ctx: AuthedContext;
beforeAll(async () => {
  env = await createTestServices();
  const buyer = await account(env, { role: "buyer" });
  ctx = { ...createContext(env.services, { requestId: "t", clientAddress: "-", authorization: undefined }), auth: { user: { id: buyer.id, role: "user" } } };
});
afterAll(() => env.cleanup());

/** A key claimed by a request that is still running (in this process or any other). */
async function claimedElsewhere(paymentMethod = "pm_card_visa") {
  const key = randomUUID();
  const now = new Date();
  await env.services.db.kysely
    .insertInto("idempotency_records")
    .values({ user_id: ctx.auth.user.id, key, payment_method: paymentMethod, state: "processing", created_at: now, updated_at: now })
    .execute();
  return key;
}

const neverRuns = async () => {
  throw new Error("a second request with the key ran the work");
};

describe("a key another request owns", () => {
  it("waits for the owner's recorded outcome and answers with it", async () => {
    const key = await claimedElsewhere();
    const body = { status: "success", message: "Order placed successfully.", data: { orders: [] } };
    const waiting = oncePerKey(ctx, key, "pm_card_visa", 201, neverRuns);
    setTimeout(() => {
      void env.services.db.kysely
        .updateTable("idempotency_records")
        .set({ state: "done", response_status: 201, response_body: JSON.stringify(body) })
        .where("user_id", "=", ctx.auth.user.id)
        .where("key", "=", key)
        .execute()
        .then(() => undefined);
    }, 300);
    expect(await waiting).toEqual(body);
  });

  it("answers 503 NOT_READY once it has waited too long, and IDEMPOTENCY_KEY_REUSED at once for another payment method", async () => {
    const key = await claimedElsewhere();
    const error = await rejection(oncePerKey(ctx, key, "pm_card_visa", 201, neverRuns, { waitLimitMs: 200 }));
    expect(error.appCode).toBe("NOT_READY");
    expect((await rejection(oncePerKey(ctx, key, "pm_card_mastercard", 201, neverRuns))).appCode).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("records an unexpected failure as a 500 and replays it, never running the work twice", async () => {
    const key = randomUUID();
    const failure = await rejection(oncePerKey(ctx, key, "pm_card_visa", 201, async () => { throw new Error("database gone"); }));
    expect([failure.appCode, failure.message]).toEqual(["INTERNAL_SERVER_ERROR", "Internal server error."]);
    const replay = await oncePerKey(ctx, key, "pm_card_visa", 201, neverRuns).catch((e: unknown) => e);
    expect(replay).toBeInstanceOf(AppError);
    expect((replay as AppError).appCode).toBe("INTERNAL_SERVER_ERROR");
  });
});
