import type { Executor, Tables } from "@tessera/db";
import type { Selectable } from "kysely";
import type { z } from "zod";
import type { currentUser, GENDERS, publicUser, ROLES } from "./auth.schema.ts";

/** A users row as stored. */
export type UserRow = Selectable<Tables["users"]>;
/** What the answers about a user are made of. */
type PublicFields = Pick<UserRow, "id" | "username" | "email" | "full_name" | "age" | "gender">;
export type UserFields = PublicFields & Pick<UserRow, "role" | "created_at">;

export const toPublicUser = (user: PublicFields): z.infer<typeof publicUser> => ({
  user_id: user.id,
  username: user.username,
  email: user.email,
  full_name: user.full_name,
  age: user.age,
  gender: user.gender as (typeof GENDERS)[number],
});

export const toCurrentUser = (user: UserFields): z.infer<typeof currentUser> => ({
  ...toPublicUser(user),
  role: user.role as (typeof ROLES)[number],
  created_at: user.created_at.toISOString(),
});

/** Which of a (lower-cased) username and email already belongs to an account; a taken username is reported first. */
export async function takenField(db: Executor, usernameKey: string, email: string): Promise<"username" | "email" | null> {
  const taken = await db
    .selectFrom("users")
    .select("username_key")
    .where((eb) => eb.or([eb("username_key", "=", usernameKey), eb("email", "=", email)]))
    .execute();
  if (taken.length === 0) return null;
  return taken.some((row) => row.username_key === usernameKey) ? "username" : "email";
}
