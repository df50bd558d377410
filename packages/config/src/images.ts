import { z } from "zod";

/**
 * The image settings (IMAGE_*, S3_*): where product images are kept, the pixel limit, and the orphan sweep.
 * Kept apart from index.ts because the S3 settings depend on one another (each is required only with
 * IMAGE_STORAGE=s3), which a plain field schema cannot say: imageProblems lists what is wrong, all at once.
 */

const integer = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);

/** A setting given as the empty string is treated as not given (as a commented-out line in .env would be). */
const optionalText = z.string().optional().transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));

export const imageFields = {
  IMAGE_STORAGE: z.enum(["local", "s3"]).default("local"),
  IMAGE_MAX_PIXELS: integer(1).default(40_000_000),
  IMAGE_SWEEP_INTERVAL_SECONDS: integer(0).default(15 * 60),
  IMAGE_SWEEP_GRACE_SECONDS: integer(0).default(60 * 60),
  S3_BUCKET: optionalText,
  S3_REGION: optionalText,
  S3_ENDPOINT: optionalText,
  S3_ACCESS_KEY_ID: optionalText,
  S3_SECRET_ACCESS_KEY: optionalText,
  S3_FORCE_PATH_STYLE: optionalText,
  S3_KEY_PREFIX: z.string().default("images/"),
};

type ImageEnv = { [K in keyof typeof imageFields]: z.output<(typeof imageFields)[K]> };

/** The image settings, as imageSettings builds them (each field is written there, once). */
export type ImageSettings = ReturnType<typeof imageSettings>;
export type S3Settings = NonNullable<ImageSettings["s3"]>;

const S3_REQUIRED = ["S3_BUCKET", "S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const;

/** What is wrong with the image settings, one line per variable (empty when nothing is). */
export function imageProblems(env: ImageEnv): string[] {
  if (env.IMAGE_STORAGE !== "s3") return [];
  const problems: string[] = S3_REQUIRED.filter((name) => env[name] === undefined).map((name) => `${name} is required with IMAGE_STORAGE=s3`);
  if (env.S3_ENDPOINT !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(env.S3_ENDPOINT)) {
    problems.push("S3_ENDPOINT must be an http:// or https:// URL of the server, like https://minio.internal:9000");
  }
  if (env.S3_FORCE_PATH_STYLE === undefined) {
    // AWS itself wants virtual-hosted style (false); most S3-compatible servers want path style: say which, with an endpoint.
    if (env.S3_ENDPOINT !== undefined) problems.push("S3_FORCE_PATH_STYLE is required with S3_ENDPOINT: true or false (true for most S3-compatible servers)");
  } else if (!["true", "false"].includes(env.S3_FORCE_PATH_STYLE)) {
    problems.push("S3_FORCE_PATH_STYLE must be true or false");
  }
  if (env.S3_KEY_PREFIX.length > 512 || env.S3_KEY_PREFIX.startsWith("/")) problems.push("S3_KEY_PREFIX must not start with / and be at most 512 characters");
  return problems;
}

/** The image settings of a configuration that imageProblems found nothing wrong with. */
export function imageSettings(env: ImageEnv) {
  return {
    /** `local`: files under `<dataDir>/images`; `s3`: objects in an S3-compatible bucket (`s3`). */
    imageStorage: env.IMAGE_STORAGE,
    s3: env.IMAGE_STORAGE === "s3" ? s3Settings(env) : undefined,
    /** Largest width × height an upload may declare (a decompression bomb is small in bytes, huge in pixels). */
    imageMaxPixels: env.IMAGE_MAX_PIXELS,
    /** How often the orphan sweep runs (besides once at start); 0: only at start. */
    imageSweepIntervalSeconds: env.IMAGE_SWEEP_INTERVAL_SECONDS,
    /** Stored bytes without an image row are removed only once they are this old (uploads in flight are younger). */
    imageSweepGraceSeconds: env.IMAGE_SWEEP_GRACE_SECONDS,
  };
}

/** The S3 settings, with IMAGE_STORAGE=s3 (imageProblems has checked that the required ones are given). */
function s3Settings(env: ImageEnv) {
  return {
    bucket: env.S3_BUCKET!,
    region: env.S3_REGION!,
    /** For S3-compatible servers (MinIO, Ceph, R2, …); AWS's own endpoint for the region when absent. */
    endpoint: env.S3_ENDPOINT?.replace(/\/$/, ""),
    accessKeyId: env.S3_ACCESS_KEY_ID!,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
    /** `http://host/bucket/key` instead of `http://bucket.host/key`: what most S3-compatible servers need. */
    forcePathStyle: env.S3_FORCE_PATH_STYLE === "true",
    /** Every object's key starts with it, and the orphan sweep looks at nothing else in the bucket. */
    keyPrefix: env.S3_KEY_PREFIX,
  };
}
