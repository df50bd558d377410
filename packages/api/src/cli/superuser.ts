import { randomUUID } from "node:crypto";
import { type Database, isUniqueViolation } from "@tessera/db";
import { appendAudit } from "../audit.ts";
import { registerInput } from "../router/auth/auth.schema.ts";
import { takenField } from "../router/auth/users.ts";
import type { PasswordHasher } from "../services/index.ts";

/** A failure the CLI reports in one line, with its exit code: 2 for bad input, 1 for a conflict. */
export class SuperuserError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2) {
    super(message);
  }
}

export interface SuperuserInput {
  username: string;
  email: string;
  password: string;
  fullName?: string;
}

/**
 * Creates an active admin. The same rules as POST /api/register (one schema: username, email, password),
 * the same case-insensitive uniqueness, and an audit entry; there is no request, so the origin is "cli".
 */
export async function createSuperuser(db: Database, passwords: PasswordHasher, input: SuperuserInput): Promise<{ id: string; username: string }> {
  const parsed = registerInput.safeParse({
    username: input.username,
    email: input.email,
    password: input.password,
    full_name: input.fullName ?? input.username,
    gender: "prefer_not_to_say",
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`);
    throw new SuperuserError(`Invalid superuser: ${problems.join(" ")}`, 2);
  }
  const { username, password, full_name: fullName, gender } = parsed.data;
  const usernameKey = username.toLowerCase();
  const email = parsed.data.email.toLowerCase();
  const conflict = async () => {
    const taken = await takenField(db.kysely, usernameKey, email);
    if (taken === null) return null;
    return taken === "username"
      ? new SuperuserError(`The username "${username}" is already taken.`, 1)
      : new SuperuserError(`An account with the email "${email}" already exists.`, 1);
  };
  const taken = await conflict();
  if (taken) throw taken;
  const passwordHash = await passwords.hash(password);
  const id = randomUUID();
  try {
    await db.transaction(async (tx) => {
      await tx
        .insertInto("users")
        .values({
          id, username, username_key: usernameKey, email, password_hash: passwordHash, full_name: fullName, gender, role: "admin",
          created_at: new Date(),
        })
        .execute();
      await appendAudit(tx, { clientAddress: "cli", requestId: `cli:${randomUUID()}` }, {
        actorId: null,
        action: "admin.superuser.created",
        targetId: id,
        details: { username },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw (await conflict()) ?? error;
    throw error;
  }
  return { id, username };
}
