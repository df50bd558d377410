import { z } from "zod";
import { envelopeSchema } from "../../envelope.ts";
import { codePoints, withoutNul } from "../../validation.ts";
import { currentUser } from "../auth/auth.schema.ts";

export const MAX_STORE_NAME = 100;

export const onboardInput = z.object({
  store_name: withoutNul(z.string())
    .refine((value) => value.trim() !== "" && codePoints(value) <= MAX_STORE_NAME, `Store name must be 1–${MAX_STORE_NAME} characters and not blank.`)
    .meta({ description: `1–${MAX_STORE_NAME} characters (code points), not only white space. Need not be unique.` }),
});

/** The caller as `GET /api/me` shows them, now a seller, with their store name. */
export const sellerAccount = currentUser.extend({ store_name: z.string() });

export const onboardOutput = envelopeSchema(sellerAccount, "You are now a seller.");
