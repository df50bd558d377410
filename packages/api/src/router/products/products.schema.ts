import { z } from "zod";
import { envelopeSchema } from "../../envelope.ts";
import { cursorSchema, limitSchema, pageSchema } from "../../pagination.ts";
import { text } from "../../validation.ts";

export const PRODUCT_STATUSES = ["active", "archived"] as const;
export const PRODUCT_SORTS = ["-created_at", "created_at", "price", "-price", "name"] as const;

export type ProductStatus = (typeof PRODUCT_STATUSES)[number];
export type ProductSort = (typeof PRODUCT_SORTS)[number];

export const MAX_NAME = 200;
export const MAX_DESCRIPTION = 10_000;
export const MAX_CATEGORIES = 10;
export const MAX_CATEGORY = 50;
/**
 * Upper bounds the contract leaves open. Prices are 64-bit columns; 10^12 minor units (10,000,000,000.00 in a
 * two-decimal currency) keeps every total exact in a JavaScript number: a line is at most 99 × 10^12, and a cart
 * (so any order) holds at most MAX_CART_LINES lines, chosen so that all of them together stay below 2^53
 * (see cart.schema.ts).
 */
export const MAX_PRICE_CENTS = 1_000_000_000_000;
export const MAX_STOCK = 1_000_000;

/** ISO 4217 codes as the runtime's ICU data knows them (Node ships the full data), upper case. */
const CURRENCIES = Intl.supportedValuesOf("currency").filter((code) => /^[A-Z]{3}$/.test(code));
const CURRENCY_SET = new Set(CURRENCIES);

const name = text({
  max: MAX_NAME,
  notBlank: true,
  message: `Name must be 1–${MAX_NAME} characters and not blank.`,
  description: `1–${MAX_NAME} characters (code points), not only white space.`,
});

const description = text({
  max: MAX_DESCRIPTION,
  message: `Description must be at most ${MAX_DESCRIPTION} characters.`,
  description: `At most ${MAX_DESCRIPTION} characters (code points).`,
});

const priceCents = z
  .number({ error: "price_cents must be an integer number of minor units (cents)." })
  .int("price_cents must be an integer number of minor units (cents).")
  .min(0, "price_cents must be 0 or more.")
  .max(MAX_PRICE_CENTS, `price_cents must be at most ${MAX_PRICE_CENTS}.`)
  .meta({ description: `Price in minor units of the currency (cents), 0–${MAX_PRICE_CENTS}.` });

const currency = z
  .string()
  .refine((value) => CURRENCY_SET.has(value), "Currency must be an ISO 4217 code in upper case, e.g. USD.")
  .meta({ enum: CURRENCIES, description: "ISO 4217 code, upper case (default USD)." });

const stock = z
  .number({ error: "stock must be a whole number." })
  .int("stock must be a whole number.")
  .min(0, "stock must be 0 or more.")
  .max(MAX_STOCK, `stock must be at most ${MAX_STOCK}.`)
  .meta({ description: `Units available, 0–${MAX_STOCK}.` });

const category = text({ max: MAX_CATEGORY, notBlank: true, message: `Each category must be 1–${MAX_CATEGORY} characters and not blank.` });

/** Stored lower-case, each once (see normalizeCategories). */
const categories = z
  .array(category, { error: "categories must be a list of strings." })
  .max(MAX_CATEGORIES, `At most ${MAX_CATEGORIES} categories.`)
  .meta({ description: `0–${MAX_CATEGORIES} names of 1–${MAX_CATEGORY} characters; stored lower-case, each once.` });

/** How categories are stored and compared: lower-case, each once (answered in code-point order, as the database sorts them). */
export const normalizeCategories = (list: string[]) => [...new Set(list.map((value) => value.toLowerCase()))];

const status = z.enum(PRODUCT_STATUSES, { error: `Status must be one of: ${PRODUCT_STATUSES.join(", ")}.` });

/** The id travels in the path; any string is accepted and one that names no visible product is PRODUCT_NOT_FOUND. */
const id = z.string().meta({ description: "The product's id." });

export const createInput = z.object({
  name,
  description: description.default(""),
  price_cents: priceCents,
  currency: currency.default("USD"),
  stock: stock.default(0),
  categories: categories.default([]),
});

export const idInput = z.object({ id });

/** PUT and PATCH alike: any subset of the fields; absent fields keep their value. `archived` hides the product. */
export const updateInput = z.object({
  id,
  name: name.optional(),
  description: description.optional(),
  price_cents: priceCents.optional(),
  currency: currency.optional(),
  stock: stock.optional(),
  categories: categories.optional(),
  status: status.meta({ description: "`archived` takes the product out of the catalog; `active` puts it back." }).optional(),
});

/** A boolean; REST's query string carries it as the text `true` or `false` (apps/server's REST input reads it). */
const inStock = z
  .boolean({ error: "in_stock must be true or false." })
  .meta({ description: "`true`: only products with stock > 0; `false`: no restriction." });

const priceBound = (what: string) =>
  z.number({ error: `${what} must be a whole number of cents.` }).int(`${what} must be a whole number of cents.`).min(0, `${what} must be 0 or more.`)
    .meta({ description: `${what === "min_price" ? "Lowest" : "Highest"} price_cents, inclusive (any currency).` })
    .optional();

/** A search text longer than this is refused (400): LIKE costs grow with its length (see list.handler.ts). */
export const MAX_QUERY = 100;

export const listInput = z
  .object({
    q: text({
      max: MAX_QUERY,
      message: `q must be at most ${MAX_QUERY} characters.`,
      description: "Only products whose name or description contains this text, case-insensitively and literally (% and _ are not wildcards).",
    }).optional(),
    category: category.meta({ description: "Only products in this category (case-insensitive)." }).optional(),
    seller: text({ message: "seller must not contain NUL.", description: "Only this seller's products (a user_id)." }).optional(),
    min_price: priceBound("min_price"),
    max_price: priceBound("max_price"),
    in_stock: inStock.optional(),
    sort: z
      .enum(PRODUCT_SORTS, { error: `Sort must be one of: ${PRODUCT_SORTS.join(", ")}.` })
      .default("-created_at")
      .meta({
        description:
          "Sort key, `-` for descending; ties broken by id in the same direction. price compares price_cents whatever the " +
          "currency; name compares lower-cased names in code-point order.",
      }),
    limit: limitSchema,
    cursor: cursorSchema.unwrap().meta({ description: "Opaque cursor: next_cursor of the previous page, used with the same sort." }).optional(),
  })
  .refine((input) => input.min_price === undefined || input.max_price === undefined || input.min_price <= input.max_price, {
    message: "max_price must not be below min_price.",
    path: ["max_price"],
  });

export const imageSchema = z.object({
  image_id: z.string(),
  url: z.string().meta({ description: "Where the bytes are: GET /api/images/{image_id}." }),
}).meta({ id: "ProductImage" });

export const productSchema = z.object({
  id: z.uuid(),
  seller: z.object({
    user_id: z.string(),
    store_name: z.string().nullable().meta({ description: "null when an admin made the user a seller without onboarding." }),
  }),
  name: z.string(),
  description: z.string(),
  price_cents: z.number().int(),
  currency: z.string(),
  stock: z.number().int(),
  categories: z.array(z.string()),
  images: z.array(imageSchema),
  status: z.enum(PRODUCT_STATUSES),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
}).meta({ id: "Product" });

export type Product = z.infer<typeof productSchema>;

/** A cursor names its sort and the last row's sort value and id. */
const cursorValue = {
  created_at: z.iso.datetime(),
  price: z.number().int(),
  name: z.string(),
} as const;

export const cursorPosition = (sort: ProductSort, key: keyof typeof cursorValue) =>
  z.object({ sort: z.literal(sort), value: cursorValue[key], id: z.string() });

export const listOutput = envelopeSchema(pageSchema(productSchema));
export const productOutput = envelopeSchema(productSchema);
export const createdOutput = envelopeSchema(productSchema, "Product created.");
export const updatedOutput = envelopeSchema(productSchema, "Product updated.");
export const archivedOutput = envelopeSchema(productSchema, "Product archived.");
