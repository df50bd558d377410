import type { z } from "zod";
import { AppError, success } from "../../envelope.ts";
import type { Context } from "../../trpc.ts";
import type { tokenInput } from "./auth.schema.ts";
import { startSession } from "./sessions.ts";

type TokenInput = z.infer<typeof tokenInput>;

const findAccount = (ctx: Context, name: string) => {
  const key = name.toLowerCase();
  // Usernames cannot contain "@", so a name with one is an email.
  return ctx.db.prisma.user.findUnique({ where: key.includes("@") ? { email: key } : { usernameKey: key } });
};

export async function token({ ctx, input }: { ctx: Context; input: TokenInput }) {
  const user = await findAccount(ctx, input.username);
  // By username or by email, attempts count against the same account.
  const account = user ? `user:${user.id}` : `name:${input.username.toLowerCase()}`;
  const address = ctx.request.clientAddress;

  const wait = await ctx.loginThrottle.blockedFor(account, address);
  if (wait > 0) {
    throw new AppError("RATE_LIMITED", `Too many failed login attempts. Try again in ${wait} seconds.`, { retryAfter: wait });
  }
  const passwordMatches = await ctx.passwords.verify(input.password, user?.passwordHash ?? null);
  if (!user || !passwordMatches || !user.isActive) {
    await ctx.loginThrottle.recordFailure(account, address);
    throw new AppError("INVALID_CREDENTIALS", "Invalid username or password.");
  }
  await ctx.loginThrottle.recordSuccess(account);
  return success(await startSession(ctx, user.id), "Access token generated successfully.");
}
