-- CreateTable
CREATE TABLE "cart_lines" (
    "user_id" TEXT NOT NULL,
    -- COLLATE "C" (edited): lines added at the same instant are ordered by product id, in code-point order as in
    -- SQLite (and as products.id, which it references).
    "product_id" TEXT COLLATE "C" NOT NULL,
    "quantity" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "cart_lines_pkey" PRIMARY KEY ("user_id","product_id")
);

-- CreateTable
CREATE TABLE "orders" (
    -- COLLATE "C" (edited): order lists break ties by id, with keyset cursors compared as `id < cursor id`.
    "id" TEXT COLLATE "C" NOT NULL,
    "buyer_id" TEXT NOT NULL,
    "buyer_username" TEXT NOT NULL,
    "seller_id" TEXT NOT NULL,
    "seller_store_name" TEXT,
    "total_cents" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "payment_provider" TEXT NOT NULL,
    "charge_id" TEXT,
    "payment_status" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_items" (
    "order_id" TEXT COLLATE "C" NOT NULL,
    -- COLLATE "C" (edited): restocking takes product rows in product id order, the order checkout takes them in
    -- (code points), so that the two never wait for each other in a cycle.
    "product_id" TEXT COLLATE "C" NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "unit_price_cents" INTEGER NOT NULL,
    "quantity" INTEGER NOT NULL,

    CONSTRAINT "order_items_pkey" PRIMARY KEY ("order_id","position")
);

-- CreateTable
CREATE TABLE "order_history" (
    "id" SERIAL NOT NULL,
    "order_id" TEXT COLLATE "C" NOT NULL,
    "status" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "order_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment_events" (
    -- COLLATE "C" (edited): an order's events received at the same instant are listed by id, as in SQLite.
    "id" TEXT COLLATE "C" NOT NULL,
    "type" TEXT NOT NULL,
    "order_id" TEXT COLLATE "C",
    "received_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "payment_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_records" (
    "user_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "payment_method" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "response_status" INTEGER,
    "response_body" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "idempotency_records_pkey" PRIMARY KEY ("user_id","key")
);

-- CreateIndex
CREATE INDEX "cart_lines_product_id_idx" ON "cart_lines"("product_id");

-- CreateIndex
CREATE INDEX "orders_buyer_id_created_at_id_idx" ON "orders"("buyer_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "orders_buyer_id_status_created_at_id_idx" ON "orders"("buyer_id", "status", "created_at", "id");

-- CreateIndex
CREATE INDEX "orders_seller_id_created_at_id_idx" ON "orders"("seller_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "orders_seller_id_status_created_at_id_idx" ON "orders"("seller_id", "status", "created_at", "id");

-- CreateIndex
CREATE INDEX "order_history_order_id_id_idx" ON "order_history"("order_id", "id");

-- CreateIndex
CREATE INDEX "payment_events_order_id_received_at_idx" ON "payment_events"("order_id", "received_at");

-- AddForeignKey
ALTER TABLE "cart_lines" ADD CONSTRAINT "cart_lines_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cart_lines" ADD CONSTRAINT "cart_lines_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_history" ADD CONSTRAINT "order_history_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_events" ADD CONSTRAINT "payment_events_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "idempotency_records" ADD CONSTRAINT "idempotency_records_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
