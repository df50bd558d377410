-- AlterTable
-- A key-value value holding U+0000 (or a lone surrogate) is stored as a JSON string literal and flagged here;
-- every existing row is plain text (false) and reads back as it is (packages/api router/data/stored-value.ts).
ALTER TABLE "data_entries" ADD COLUMN     "value_encoded" BOOLEAN NOT NULL DEFAULT false;
