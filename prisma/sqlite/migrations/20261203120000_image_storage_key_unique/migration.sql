-- One image row per stored object: the orphan sweep looks stored keys up by this index.
CREATE UNIQUE INDEX "product_images_storage_key_key" ON "product_images"("storage_key");
