/**
 * Issue 16, item 9, through the real entry point: in prod the payment provider must be named. Without
 * PAYMENT_PROVIDER the process refuses to start (exit 1, one line naming the variable); with
 * PAYMENT_PROVIDER=simulator it starts and says at warn level that payments are simulated.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@tessera/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

let dataDir: string;
let database: TestDatabase;
beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "tessera-provider-"));
  database = await createTestDatabase(dataDir);
});
afterEach(async () => {
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs src/main.ts in prod until it listens (then SIGTERM) or exits; its output lines and exit code. */
function runProd(extra: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // One process: no Redis (the test is about the payment setting).
  const { REDIS_URL: _redis, PAYMENT_PROVIDER: _provider, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: {
      ...inherited, ENV: "prod", PORT: "0", LOG_LEVEL: "info", DATA_DIR: dataDir, DATABASE_URL: database.url,
      JWT_SECRET: randomBytes(32).toString("hex"), WEBHOOK_SECRET: randomBytes(32).toString("hex"), ...extra,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let stopping = false;
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (!stopping && stdout.includes("Tessera is listening")) stopping = child.kill("SIGTERM");
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

describe("PAYMENT_PROVIDER in prod", { timeout: 60_000 }, () => {
  it("refuses to start without it", async () => {
    const { code, stderr, stdout } = await runProd({});
    expect(code).toBe(1);
    expect(stderr).toMatch(/PAYMENT_PROVIDER is required in prod/);
    expect(stdout).not.toMatch(/listening/);
  });

  it("starts with PAYMENT_PROVIDER=simulator, warning that payments are simulated", async () => {
    const { code, stdout } = await runProd({ PAYMENT_PROVIDER: "simulator" });
    expect(code).toBe(0);
    const lines = stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line) as { level: number; msg: string });
    const warning = lines.find((line) => /simulator/.test(line.msg));
    expect(warning).toMatchObject({ level: 40 });
    expect(warning!.msg).toMatch(/no money moves/);
  });
});
