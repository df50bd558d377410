import { randomUUID } from "node:crypto";
import { isUniqueViolation } from "@tessera/db";
import type { z } from "zod";
import { AppError, success } from "../../envelope.ts";
import type { Context } from "../../trpc.ts";
import type { registerInput } from "./auth.schema.ts";
import { takenField, toPublicUser } from "./users.ts";

type RegisterInput = z.infer<typeof registerInput>;

async function conflictFor(ctx: Context, usernameKey: string, email: string): Promise<AppError | null> {
  const taken = await takenField(ctx.services.db.kysely, usernameKey, email);
  if (taken === null) return null;
  return taken === "username"
    ? new AppError("USERNAME_EXISTS", "This username is already taken.")
    : new AppError("EMAIL_EXISTS", "An account with this email already exists.");
}

export async function register({ ctx, input }: { ctx: Context; input: RegisterInput }) {
  // Per client address, before the database is asked or a hash is made: sign-ups cannot be used to flood either.
  const refused = await ctx.services.registrationThrottle.begin(ctx.request.clientAddress);
  if (refused) {
    const wait = refused.retryAfter;
    throw new AppError("RATE_LIMITED", `Too many registrations from your address. Try again in ${wait} seconds.`, { retryAfter: wait });
  }
  const usernameKey = input.username.toLowerCase();
  const email = input.email.toLowerCase();
  // Checked before hashing so a taken name costs no bcrypt round; the unique indexes decide races.
  const conflict = await conflictFor(ctx, usernameKey, email);
  if (conflict) throw conflict;
  const passwordHash = await ctx.services.passwords.hash(input.password);
  try {
    const user = {
      id: randomUUID(),
      username: input.username,
      username_key: usernameKey,
      email,
      password_hash: passwordHash,
      full_name: input.full_name,
      age: input.age ?? null,
      gender: input.gender,
      created_at: new Date(),
    };
    await ctx.services.db.kysely.insertInto("users").values(user).execute();
    ctx.services.metrics.registration();
    return success(toPublicUser(user), "User successfully registered!");
  } catch (error) {
    if (isUniqueViolation(error)) throw (await conflictFor(ctx, usernameKey, email)) ?? error;
    throw error;
  }
}
