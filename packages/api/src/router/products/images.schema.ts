import { z } from "zod";
import { envelopeSchema, messageEnvelopeSchema } from "../../envelope.ts";
import { imageSchema } from "./products.schema.ts";

/** At most this many images per product (docs/contract.md). */
export const MAX_IMAGES_PER_PRODUCT = 8;

export const imageIdInput = z.object({
  id: z.string().meta({ description: "The product's id." }),
  image_id: z.string().meta({ description: "The image's image_id." }),
});

export const uploadedImageOutput = envelopeSchema(imageSchema, "Image uploaded.");
export const deletedImageOutput = messageEnvelopeSchema("Image deleted.");
