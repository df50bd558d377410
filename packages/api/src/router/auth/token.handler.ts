import type { z } from "zod";
import { appendAudit } from "../../audit.ts";
import { AppError, success } from "../../envelope.ts";
import { MAX_PASSWORD_BYTES } from "../../services/passwords.ts";
import type { Context } from "../../trpc.ts";
import type { tokenInput } from "./auth.schema.ts";
import { startSession } from "./sessions.ts";

type TokenInput = z.infer<typeof tokenInput>;

const findAccount = (ctx: Context, name: string) => {
  const key = name.toLowerCase();
  // Usernames cannot contain "@", so a name with one is an email.
  return ctx.services.db.kysely
    .selectFrom("users")
    .select(["id", "password_hash", "is_active"])
    .where(key.includes("@") ? "email" : "username_key", "=", key)
    .executeTakeFirst();
};

const failureReason = (user: { is_active: boolean } | undefined, passwordMatches: boolean, tooLong: boolean) =>
  !user ? "unknown_user" : tooLong ? "password_too_long" : !passwordMatches ? "wrong_password" : "inactive";

export async function token({ ctx, input }: { ctx: Context; input: TokenInput }) {
  const user = await findAccount(ctx, input.username);
  // By username or by email, attempts count against the same account. The name is at most 254 characters
  // (validation), so neither this key nor the audit entry below can be made large.
  const account = user ? `user:${user.id}` : `name:${input.username.toLowerCase()}`;

  // Counted before the password is checked (see login-throttle.ts): attempts sent together cannot all get through.
  const attempt = await ctx.services.loginThrottle.begin(account, ctx.request.clientAddress);
  if ("retryAfter" in attempt) {
    // Not audited: the throttle exists to refuse a flood cheaply, and it must not turn into a flood of writes.
    const wait = attempt.retryAfter;
    ctx.services.metrics.login("throttled");
    throw new AppError("RATE_LIMITED", `Too many failed login attempts. Try again in ${wait} seconds.`, { retryAfter: wait });
  }
  let failed = false;
  try {
    // A password over 72 bytes cannot be an account's (registration refuses them) and bcrypt would compare only its
    // first 72 bytes: verify answers false for it, after the same comparison work, and it gets the same answer.
    const tooLong = Buffer.byteLength(input.password, "utf8") > MAX_PASSWORD_BYTES;
    const passwordMatches = await ctx.services.passwords.verify(input.password, user?.password_hash ?? null);
    const tried = { username: input.username };
    if (!user || !passwordMatches || !user.is_active) {
      failed = true;
      const reason = failureReason(user, passwordMatches, tooLong);
      await appendAudit(ctx.services.db.kysely, ctx.request, { actorId: user?.id ?? null, action: "login.failed", details: { ...tried, reason } });
      ctx.services.metrics.login("failed");
      throw new AppError("INVALID_CREDENTIALS", "Invalid username or password.");
    }
    const pair = await startSession(ctx, user.id);
    await appendAudit(ctx.services.db.kysely, ctx.request, { actorId: user.id, action: "login.succeeded", details: tried });
    ctx.services.metrics.login("succeeded");
    return success(pair, "Access token generated successfully.");
  } finally {
    // Only failures count (docs/contract.md: "after N failed attempts"): a success, or an attempt that could not be checked
    // (a database or overload error), gives its place back.
    if (!failed) await attempt.giveBack();
  }
}
