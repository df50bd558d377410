import path from "node:path";
import type { Config } from "@tessera/config";
import { createLocalImageStorage, type ImageStorage } from "./image-storage.ts";
import { createS3ImageStorage } from "./s3-image-storage.ts";

/** The one place that chooses the image storage driver from the configuration (IMAGE_STORAGE). */
export function createImageStorage(config: Pick<Config, "imageStorage" | "dataDir" | "s3">): ImageStorage {
  switch (config.imageStorage) {
    case "local":
      return createLocalImageStorage(path.join(config.dataDir, "images"));
    case "s3":
      return createS3ImageStorage(config.s3!);
  }
}
