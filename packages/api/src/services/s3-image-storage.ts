import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { opendir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException,
} from "@aws-sdk/client-s3";
import type { S3Settings } from "@tessera/config";
import { isUuid } from "../ids.ts";
import { checkedKey, type ImageStorage, ImageStorageUnavailable } from "./image-storage.ts";

/** Upload spool files: `<tmpdir>/tessera-image-<key>-<random>.part`. */
const SPOOL_PREFIX = "tessera-image-";

export interface S3StorageOptions {
  /** Where uploads are spooled before they are sent (os.tmpdir() by default). */
  spoolDir?: string;
  /** How long connecting to the endpoint may take; a blackholed endpoint fails after this, not after minutes. */
  connectionTimeoutMs?: number;
}

/**
 * Images as objects `<keyPrefix><key>` in an S3-compatible bucket, through the AWS SDK.
 *
 * Writing: S3 wants an object's length before its first byte (PutObject needs Content-Length; a multipart upload
 * needs parts of 5 MiB, which is the whole of the largest image). The upload is therefore spooled to a
 * temporary file as it arrives (counted and checked on the way by the caller, never held in memory), then sent
 * with PutObject from that file with its known length. An upload refused while arriving never reaches the
 * bucket, and PutObject is atomic: an object is there complete or not at all, also when the endpoint goes away
 * mid-way. Reading streams GetObject's body.
 *
 * Checksums: since early 2025 the SDK adds CRC checksums to every upload by default, in an `aws-chunked` body that
 * many S3-compatible servers store verbatim (the framing ends up in the image); "WHEN_REQUIRED" sends plain
 * bodies, which every S3-compatible server accepts. Integrity is the server's own sha256 (the ETag it serves).
 */
export function createS3ImageStorage(settings: S3Settings, options: S3StorageOptions = {}): ImageStorage {
  const client = new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    requestHandler: { connectionTimeout: options.connectionTimeoutMs ?? 5_000, requestTimeout: 60_000 },
  });
  const bucket = settings.bucket;
  const spoolDir = options.spoolDir ?? tmpdir();
  const objectKey = (key: string) => `${settings.keyPrefix}${checkedKey(key)}`;
  const where = `bucket ${JSON.stringify(bucket)}${settings.endpoint ? ` at ${settings.endpoint}` : ""}`;

  /** Every failure of the backend becomes one clear error naming the operation, the bucket and the cause. */
  const unavailable = (operation: string, error: unknown) => {
    const cause = error as Error & { code?: string };
    const reason = error instanceof S3ServiceException ? `${error.name} (HTTP ${error.$metadata.httpStatusCode})` : cause.code ?? cause.name;
    return new ImageStorageUnavailable(`S3 ${operation} failed on ${where}: ${reason}: ${cause.message}`, { cause: error });
  };
  async function send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw unavailable(operation, error);
    }
  }

  return {
    async write(key, bytes) {
      const name = objectKey(key);
      const spool = path.join(spoolDir, `${SPOOL_PREFIX}${key}-${randomBytes(4).toString("hex")}.part`);
      try {
        await pipeline(bytes, createWriteStream(spool, { flags: "wx", mode: 0o600 }));
        const { size } = await stat(spool);
        await send("PutObject", () => client.send(new PutObjectCommand({ Bucket: bucket, Key: name, Body: createReadStream(spool), ContentLength: size })));
      } finally {
        await rm(spool, { force: true });
      }
    },
    async read(key) {
      const name = objectKey(key);
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: name }));
        return object.Body as Readable;
      } catch (error) {
        if (error instanceof NoSuchKey) return null;
        throw unavailable("GetObject", error);
      }
    },
    async remove(key) {
      const name = objectKey(key);
      await send("DeleteObject", () => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: name })));
    },
    async list(after, limit) {
      const page = await send("ListObjectsV2", () =>
        client.send(new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: settings.keyPrefix,
          StartAfter: after === undefined ? undefined : `${settings.keyPrefix}${after}`,
          MaxKeys: limit,
        })));
      const contents = page.Contents ?? [];
      const objects = contents.flatMap(({ Key, LastModified }) => {
        const key = Key?.slice(settings.keyPrefix.length);
        // Objects under the prefix that are not Tessera's (not a UUID) are never touched.
        return key && isUuid(key) && LastModified ? [{ key, storedAt: LastModified }] : [];
      });
      const last = contents.at(-1)?.Key?.slice(settings.keyPrefix.length);
      return { objects, next: page.IsTruncated ? last : undefined };
    },
    async discardUnfinished(before) {
      // Spool files of uploads that a crash interrupted (the bucket itself never holds a partial object).
      let discarded = 0;
      for await (const entry of await opendir(spoolDir)) {
        if (!entry.isFile() || !entry.name.startsWith(SPOOL_PREFIX) || !entry.name.endsWith(".part")) continue;
        const file = path.join(spoolDir, entry.name);
        const modified = await stat(file).then((info) => info.mtime, () => undefined);
        if (modified && modified < before) {
          await rm(file, { force: true });
          discarded++;
        }
      }
      return discarded;
    },
  };
}
