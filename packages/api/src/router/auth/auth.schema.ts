import { z } from "zod";
import { envelopeSchema, messageEnvelopeSchema } from "../../envelope.ts";
import { MAX_PASSWORD_BYTES } from "../../services/passwords.ts";
import { codePoints, type FieldCodes, text } from "../../validation.ts";

export const GENDERS = ["male", "female", "non-binary", "other", "prefer_not_to_say"] as const;
export const ROLES = ["user", "seller", "admin"] as const;

/**
 * The longest login name: an email (RFC 5321 allows 254 characters; usernames are at most 32). Anything longer
 * names no account and is refused by validation, before it can become a throttle key or an audit entry.
 */
export const MAX_LOGIN_NAME = 254;

/**
 * The document's form of the password rules: 8+ code points; an upper-case letter, a lower-case letter, a digit and a
 * character that is neither letter nor digit; no NUL. Bytes are at least code points, so the 72-byte limit implies
 * maxLength 72 (the byte limit itself is beyond JSON Schema: it is in the description).
 */
const PASSWORD_PATTERN = String.raw`^(?=[\s\S]*\p{Lu})(?=[\s\S]*\p{Ll})(?=[\s\S]*\p{Nd})(?=[\s\S]*[^\p{L}\p{N}])[^\u0000]*$`;

const password = z.string().superRefine((value, ctx) => {
  const problems = [
    codePoints(value) < 8 && "at least 8 characters",
    !/\p{Lu}/u.test(value) && "an upper-case letter",
    !/\p{Ll}/u.test(value) && "a lower-case letter",
    !/\p{Nd}/u.test(value) && "a digit",
    !/[^\p{L}\p{N}]/u.test(value) && "a special character",
  ].filter(Boolean);
  if (problems.length > 0) ctx.addIssue({ code: "custom", message: `Password must contain ${problems.join(", ")}.` });
  if (value.includes("\u0000")) ctx.addIssue({ code: "custom", message: "Password must not contain the NUL character (U+0000)." });
  if (Buffer.byteLength(value, "utf8") > MAX_PASSWORD_BYTES) {
    ctx.addIssue({ code: "custom", message: `Password must be at most ${MAX_PASSWORD_BYTES} bytes in UTF-8.` });
  }
}).meta({
  minLength: 8,
  maxLength: MAX_PASSWORD_BYTES,
  pattern: PASSWORD_PATTERN,
  description:
    `At least 8 characters, with an upper-case letter, a lower-case letter, a digit and a special character; at most ` +
    `${MAX_PASSWORD_BYTES} bytes in UTF-8 (never truncated).`,
});

export const registerInput = z.object({
  username: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,32}$/, "Username must be 3–32 characters: letters, digits, _ . or -.")
    .meta({ minLength: 3, maxLength: 32, description: "3–32 ASCII letters, digits, `_`, `.` or `-`; unique case-insensitively." }),
  email: z.email("Email must be a valid email address.").max(254, "Email must be at most 254 characters.")
    .meta({ description: "Unique case-insensitively; stored lower-cased." }),
  password,
  full_name: text({ max: 100, notBlank: true, message: "Full name must be 1–100 characters.", description: "1–100 characters, not only white space." }),
  age: z.number({ error: "Age must be a positive integer." }).int("Age must be a positive integer.").positive("Age must be a positive integer.")
    .nullish(),
  gender: z.enum(GENDERS, { error: `Gender must be one of: ${GENDERS.join(", ")}.` }),
});

export const registerCodes: FieldCodes = {
  age: "INVALID_AGE",
  gender: { missing: "GENDER_REQUIRED" },
  password: { invalid: "INVALID_PASSWORD" },
};

const profile = z.object({
  user_id: z.string(),
  username: z.string(),
  email: z.string(),
  full_name: z.string(),
  age: z.number().int().nullable(),
  gender: z.enum(GENDERS),
});

// `id`: a named component of the OpenAPI document (generated clients get named types). Extensions do not inherit it.
export const publicUser = profile.meta({ id: "RegisteredUser", description: "An account as registration answers it." });

export const currentUser = profile.extend({
  role: z.enum(ROLES),
  created_at: z.iso.datetime(),
}).meta({ id: "User", description: "An account as GET /api/me shows it." });

export const tokenInput = z.object({
  username: z
    .string()
    .min(1)
    .max(MAX_LOGIN_NAME, `Username must be at most ${MAX_LOGIN_NAME} characters.`)
    .meta({ description: "The username or the account's email." }),
  // No upper bound here: a password over 72 bytes is answered like a wrong one (token.handler.ts), at the same cost.
  password: z.string().min(1),
});

export const refreshInput = z.object({ refresh_token: z.string().min(1) });

export const credentialCodes: FieldCodes = {
  username: { missing: "MISSING_FIELDS" },
  password: { missing: "MISSING_FIELDS" },
  refresh_token: { missing: "MISSING_FIELDS" },
};

export const tokenPair = z.object({
  access_token: z.string().meta({ description: "A JWT (HS256), sent as `Authorization: Bearer <access_token>`; each one is unique (`jti`)." }),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int().meta({ description: "Seconds until the access token expires." }),
  refresh_token: z.string().meta({ description: "Opaque; works once (POST /api/token/refresh rotates it)." }),
}).meta({ id: "TokenPair" });
/** What a login (auth.token) and a refresh (auth.refresh) answer, in `data`. */
export type TokenPair = z.infer<typeof tokenPair>;

export const registerOutput = envelopeSchema(publicUser, "User successfully registered!");
export const tokenOutput = envelopeSchema(tokenPair, "Access token generated successfully.");
export const meOutput = envelopeSchema(currentUser);
export const logoutOutput = messageEnvelopeSchema("Logged out.");
