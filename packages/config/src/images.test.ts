import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./index.ts";

const freshDir = () => mkdtempSync(path.join(tmpdir(), "tessera-config-"));
const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: freshDir(), ...env }, freshDir());
const S3 = {
  IMAGE_STORAGE: "s3", S3_BUCKET: "tessera-images", S3_REGION: "eu-west-1", S3_ACCESS_KEY_ID: "AKIAEXAMPLE", S3_SECRET_ACCESS_KEY: "secret",
};

describe("image settings", () => {
  it("default to local storage, 40 MP, a sweep every 15 minutes sparing what is younger than an hour", () => {
    expect(load({})).toMatchObject({
      imageStorage: "local", s3: undefined, imageMaxPixels: 40_000_000, imageSweepIntervalSeconds: 900, imageSweepGraceSeconds: 3600,
    });
    expect(load({ IMAGE_MAX_PIXELS: "1000", IMAGE_SWEEP_INTERVAL_SECONDS: "0", IMAGE_SWEEP_GRACE_SECONDS: "60" })).toMatchObject({
      imageMaxPixels: 1000, imageSweepIntervalSeconds: 0, imageSweepGraceSeconds: 60,
    });
    for (const [name, value] of [["IMAGE_MAX_PIXELS", "0"], ["IMAGE_SWEEP_GRACE_SECONDS", "-1"], ["IMAGE_STORAGE", "ftp"]]) {
      expect(() => load({ [name!]: value! })).toThrow(new RegExp(`^Invalid configuration: ${name}`));
    }
  });

  it("S3 on AWS: bucket, region and keys; virtual-hosted style and the images/ prefix by default", () => {
    expect(load(S3).s3).toEqual({
      bucket: "tessera-images", region: "eu-west-1", endpoint: undefined, accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret",
      forcePathStyle: false, keyPrefix: "images/",
    });
  });

  it("S3-compatible servers: an endpoint, and path style said explicitly", () => {
    const config = load({ ...S3, S3_ENDPOINT: "http://127.0.0.1:9000/", S3_FORCE_PATH_STYLE: "true", S3_KEY_PREFIX: "shop-a/" });
    expect(config.s3).toMatchObject({ endpoint: "http://127.0.0.1:9000", forcePathStyle: true, keyPrefix: "shop-a/" });
  });

  it("lists every missing S3 setting at once, each named, and only when IMAGE_STORAGE=s3", () => {
    let error: unknown;
    try {
      load({ IMAGE_STORAGE: "s3", S3_REGION: "  " });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe([
      "Invalid configuration:",
      "  - S3_BUCKET is required with IMAGE_STORAGE=s3",
      "  - S3_REGION is required with IMAGE_STORAGE=s3",
      "  - S3_ACCESS_KEY_ID is required with IMAGE_STORAGE=s3",
      "  - S3_SECRET_ACCESS_KEY is required with IMAGE_STORAGE=s3",
    ].join("\n"));
    expect(load({ IMAGE_STORAGE: "local", S3_BUCKET: "" }).s3).toBeUndefined();
  });

  it("refuses a malformed endpoint, an endpoint without S3_FORCE_PATH_STYLE, and a path style that is not true or false", () => {
    expect(() => load({ ...S3, S3_ENDPOINT: "minio:9000", S3_FORCE_PATH_STYLE: "true" })).toThrow(/S3_ENDPOINT must be an http:\/\/ or https:\/\/ URL/);
    expect(() => load({ ...S3, S3_ENDPOINT: "https://minio.internal:9000" })).toThrow(/S3_FORCE_PATH_STYLE is required with S3_ENDPOINT/);
    expect(() => load({ ...S3, S3_FORCE_PATH_STYLE: "yes" })).toThrow(/S3_FORCE_PATH_STYLE must be true or false/);
    expect(() => load({ ...S3, S3_KEY_PREFIX: "/images/" })).toThrow(/S3_KEY_PREFIX must not start with \//);
  });
});
