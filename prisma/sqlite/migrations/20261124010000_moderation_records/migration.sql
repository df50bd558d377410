-- Admin moderation sticks (issue 16, item 11): who took a user's role away, who archived a product.
-- AlterTable
ALTER TABLE "users" ADD COLUMN "demoted_by" TEXT;

-- AlterTable
ALTER TABLE "products" ADD COLUMN "archived_by" TEXT;
