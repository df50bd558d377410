-- Checkout crash safety (issue 16, item 7): a checkout's orders carry its Idempotency-Key, and reconciliation finds
-- unsettled checkouts, payments and refunds by state and age.
-- AlterTable
ALTER TABLE "orders" ADD COLUMN "checkout_key" TEXT;

-- CreateIndex
CREATE INDEX "orders_buyer_id_checkout_key_idx" ON "orders"("buyer_id", "checkout_key");

-- CreateIndex
CREATE INDEX "orders_payment_status_updated_at_idx" ON "orders"("payment_status", "updated_at");

-- CreateIndex
CREATE INDEX "idempotency_records_state_updated_at_idx" ON "idempotency_records"("state", "updated_at");
