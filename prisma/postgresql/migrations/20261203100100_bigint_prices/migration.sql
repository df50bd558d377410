-- AlterTable
-- Prices up to 10^12 minor units (products.schema.ts MAX_PRICE_CENTS): 64-bit. Like any column type change, this
-- rewrites the table under an exclusive lock.
ALTER TABLE "products" ALTER COLUMN "price_cents" SET DATA TYPE BIGINT;

-- AlterTable
ALTER TABLE "order_items" ALTER COLUMN "unit_price_cents" SET DATA TYPE BIGINT;
