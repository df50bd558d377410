import { z } from "zod";
import { envelopeSchema } from "../../envelope.ts";

export const categoriesOutput = envelopeSchema(
  z.object({
    items: z.array(
      z.object({
        name: z.string().meta({ description: "Lower-case." }),
        count: z.number().int().meta({ description: "Active products in this category." }),
      }).meta({ id: "Category" }),
    ),
  }),
);
