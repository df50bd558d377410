import type { Prisma } from "@tessera/db";
import type { z } from "zod";
import type { currentUser, GENDERS, publicUser, ROLES } from "./auth.schema.ts";

interface UserRow {
  id: string;
  username: string;
  email: string;
  fullName: string;
  age: number | null;
  gender: string;
  role: string;
  createdAt: Date;
}

export const toPublicUser = (user: UserRow): z.infer<typeof publicUser> => ({
  user_id: user.id,
  username: user.username,
  email: user.email,
  full_name: user.fullName,
  age: user.age,
  gender: user.gender as (typeof GENDERS)[number],
});

export const toCurrentUser = (user: UserRow): z.infer<typeof currentUser> => ({
  ...toPublicUser(user),
  role: user.role as (typeof ROLES)[number],
  created_at: user.createdAt.toISOString(),
});

/** Which of a (lower-cased) username and email already belongs to an account; usernames are checked first. */
export async function takenField(db: Prisma, usernameKey: string, email: string): Promise<"username" | "email" | null> {
  const taken = await db.user.findFirst({ where: { OR: [{ usernameKey }, { email }] }, select: { usernameKey: true } });
  if (!taken) return null;
  return taken.usernameKey === usernameKey ? "username" : "email";
}
