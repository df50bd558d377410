import { z } from "zod";
import { envelopeSchema } from "../../envelope.ts";
import { text } from "../../validation.ts";
import { currentUser } from "../auth/auth.schema.ts";

export const MAX_STORE_NAME = 100;

export const onboardInput = z.object({
  store_name: text({
    max: MAX_STORE_NAME,
    notBlank: true,
    message: `Store name must be 1–${MAX_STORE_NAME} characters and not blank.`,
    description: `1–${MAX_STORE_NAME} characters (code points), not only white space. Need not be unique.`,
  }),
});

/** The caller as `GET /api/me` shows them, now a seller, with their store name. */
export const sellerAccount = currentUser.extend({ store_name: z.string() }).meta({ id: "SellerAccount" });

export const onboardOutput = envelopeSchema(sellerAccount, "You are now a seller.");
