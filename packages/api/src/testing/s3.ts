/**
 * A real S3-compatible server for the tests: s3rver (npm, a devDependency, pure JavaScript) in its own process on
 * loopback, with one bucket, keeping its objects in a folder of its own. It checks request signatures (with its
 * built-in key), serves ListObjectsV2 with StartAfter and truncation, and stores plain (not aws-chunked) bodies. Stopping it and starting it again on the
 * same port and folder is an S3 outage and its end.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";

const BIN = path.join(path.dirname(createRequire(import.meta.url).resolve("s3rver/package.json")), "bin", "s3rver.js");
/** s3rver's built-in credentials (it checks every request's signature against them). */
export const S3RVER_KEY = "S3RVER";

export interface S3TestServer {
  endpoint: string;
  port: number;
  bucket: string;
  /** Where s3rver keeps the bucket's objects (survives stop(), for a restart). */
  directory: string;
  /** The settings that point Tessera at this server. */
  env(prefix?: string): Record<string, string>;
  /** The keys in the bucket under `prefix`, sorted. */
  keys(prefix?: string): Promise<string[]>;
  /** An object's bytes. */
  bytes(key: string): Promise<Buffer>;
  /** Ends the process (SIGKILL: an outage, not a shutdown); the objects stay in `directory`. */
  stop(): Promise<void>;
  /** The same server again: same port, same objects. */
  restart(): Promise<void>;
  /** stop() and delete the folder. */
  destroy(): Promise<void>;
}

function spawnS3rver(directory: string, port: number, bucket: string): Promise<{ child: ChildProcess; port: number }> {
  // s3rver signs its list continuation tokens with DES, which OpenSSL 3 (Node 17 and later) keeps in its legacy provider.
  const child = spawn(process.execPath, ["--openssl-legacy-provider", BIN, "-d", directory, "-a", "127.0.0.1", "-p", String(port), "--silent", "--configure-bucket", bucket], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /S3rver listening on [^:]+:(\d+)/.exec(output);
      if (!listening) return;
      child.stdout!.off("data", onData);
      child.stdout!.resume();
      resolve({ child, port: Number(listening[1]) });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`s3rver exited with ${code} before listening: ${output}`)));
  });
}

export async function startS3TestServer(bucket = "tessera-test"): Promise<S3TestServer> {
  const directory = mkdtempSync(path.join(tmpdir(), "tessera-s3rver-"));
  let running = await spawnS3rver(directory, 0, bucket);
  const port = running.port;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    region: "us-east-1", endpoint, forcePathStyle: true, credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY },
    requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED",
  });
  const stop = async () => {
    const child = running.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  };
  return {
    endpoint,
    port,
    bucket,
    directory,
    env: (prefix = "images/") => ({
      IMAGE_STORAGE: "s3", S3_BUCKET: bucket, S3_REGION: "us-east-1", S3_ENDPOINT: endpoint, S3_FORCE_PATH_STYLE: "true",
      S3_ACCESS_KEY_ID: S3RVER_KEY, S3_SECRET_ACCESS_KEY: S3RVER_KEY, S3_KEY_PREFIX: prefix,
    }),
    async keys(prefix = "") {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        keys.push(...(page.Contents ?? []).map((object) => object.Key!));
        token = page.NextContinuationToken;
      } while (token);
      return keys.sort();
    },
    async bytes(key) {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await object.Body!.transformToByteArray());
    },
    stop,
    async restart() {
      await stop();
      running = await spawnS3rver(directory, port, bucket);
    },
    async destroy() {
      await stop();
      client.destroy();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
