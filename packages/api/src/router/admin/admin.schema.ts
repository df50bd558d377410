import { z } from "zod";
import { AUDIT_ACTIONS } from "../../audit.ts";
import { envelopeSchema, messageEnvelopeSchema } from "../../envelope.ts";
import { cursorSchema, limitSchema, pageSchema } from "../../pagination.ts";
import { text } from "../../validation.ts";
import { currentUser, ROLES } from "../auth/auth.schema.ts";

/**
 * Every role `me` documents. The marketplace contract (docs/contract.md) says admins can set any role,
 * seller included, so the admin routes accept all three now rather than change their input later.
 */
const role = z.enum(ROLES, { error: `Role must be one of: ${ROLES.join(", ")}.` });

/** The id travels in the path; any string is accepted and one that names no user is USER_NOT_FOUND. */
const userId = z.string().meta({ description: "The user's user_id." });

/** A boolean; REST's query string carries it as the text `true` or `false` (apps/server's REST input reads it). */
const activeFilter = z
  .boolean({ error: "is_active must be true or false." })
  .meta({ description: "Only active (true) or deactivated (false) users." });

export const MAX_USER_QUERY = 254;

export const listUsersInput = z.object({
  q: text({
    max: MAX_USER_QUERY,
    message: `q must be at most ${MAX_USER_QUERY} characters.`,
    description: "Only users whose username or email contains this text, case-insensitively and literally.",
  }).optional(),
  role: role.meta({ description: "Only users with this role." }).optional(),
  is_active: activeFilter.optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});

export const userIdInput = z.object({ user_id: userId });

export const updateUserInput = z
  .object({
    user_id: userId,
    is_active: z.boolean({ error: "is_active must be true or false." }).optional(),
    role: role.optional(),
  })
  .refine((input) => input.is_active !== undefined || input.role !== undefined, {
    message: "Send is_active, role, or both.",
    path: ["is_active"],
  });

export const listAuditInput = z.object({
  action: z.enum(AUDIT_ACTIONS as [string, ...string[]]).meta({ description: "Only entries of this action." }).optional(),
  actor_id: text({ message: "actor_id must not contain NUL.", description: "Only entries by this user_id." }).optional(),
  target_id: text({ message: "target_id must not contain NUL.", description: "Only entries about this user_id." }).optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});

/** Users list position: the last row's lower-cased username (unique). Audit position: the last entry's (at, id). */
export const usersCursor = z.object({ after: z.string() });
export const auditCursor = z.object({ at: z.iso.datetime(), id: z.string() });

const adminUserFields = currentUser.extend({ is_active: z.boolean() });

export const adminUser = adminUserFields.meta({ id: "AdminUser", description: "An account as the admin routes show it." });

export const adminUserDetail = adminUserFields.extend({
  counts: z.object({
    data_entries: z.number().int(),
    tasks: z.number().int(),
    active_sessions: z.number().int().meta({ description: "Sessions neither revoked nor expired." }),
  }),
}).meta({ id: "AdminUserDetail" });

export const auditEntry = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  actor_id: z.string().nullable().meta({ description: "The admin who acted, or the account a login was for; null when unknown." }),
  action: z.string().meta({ description: `One of: ${AUDIT_ACTIONS.join(", ")}.` }),
  target_id: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  client_address: z.string(),
  request_id: z.string(),
}).meta({ id: "AuditEntry" });

export const listUsersOutput = envelopeSchema(pageSchema(adminUser));
export const userOutput = envelopeSchema(adminUserDetail);
export const updatedOutput = envelopeSchema(adminUser, "User updated.");
export const deletedOutput = messageEnvelopeSchema("User deleted.");
export const listAuditOutput = envelopeSchema(pageSchema(auditEntry));
