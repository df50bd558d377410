import type { z } from "zod";
import { appendAudit } from "../../audit.ts";
import { AppError, success } from "../../envelope.ts";
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

export async function token({ ctx, input }: { ctx: Context; input: TokenInput }) {
  const user = await findAccount(ctx, input.username);
  // By username or by email, attempts count against the same account.
  const account = user ? `user:${user.id}` : `name:${input.username.toLowerCase()}`;
  const address = ctx.request.clientAddress;

  const wait = await ctx.services.loginThrottle.blockedFor(account, address);
  if (wait > 0) {
    // Not audited: the throttle exists to refuse a flood cheaply, and it must not turn into a flood of writes.
    throw new AppError("RATE_LIMITED", `Too many failed login attempts. Try again in ${wait} seconds.`, { retryAfter: wait });
  }
  const passwordMatches = await ctx.services.passwords.verify(input.password, user?.password_hash ?? null);
  // The name as typed (capped: the input has no length limit) says what was tried; the password never is stored.
  const tried = { username: input.username.slice(0, 254) };
  if (!user || !passwordMatches || !user.is_active) {
    await ctx.services.loginThrottle.recordFailure(account, address);
    const reason = !user ? "unknown_user" : !passwordMatches ? "wrong_password" : "inactive";
    await appendAudit(ctx.services.db.kysely, ctx.request, { actorId: user?.id ?? null, action: "login.failed", details: { ...tried, reason } });
    throw new AppError("INVALID_CREDENTIALS", "Invalid username or password.");
  }
  await ctx.services.loginThrottle.recordSuccess(account);
  const pair = await startSession(ctx, user.id);
  await appendAudit(ctx.services.db.kysely, ctx.request, { actorId: user.id, action: "login.succeeded", details: tried });
  return success(pair, "Access token generated successfully.");
}
