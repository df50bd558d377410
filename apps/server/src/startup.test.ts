/**
 * A start that cannot work stops with one clear line on stderr and exit code 1, not a stack trace: a port in use, a
 * HOST that is not this machine's, a PostgreSQL server that does not answer (after retrying) or a database that does
 * not exist, a DATA_DIR it cannot use, and every invalid setting at once.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { closedPort } from "@tessera/api/testing";
import { afterAll, describe, expect, it } from "vitest";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tessera-startup-"));
  dirs.push(dir);
  return dir;
};

/** Runs the entry point until it exits (it must: each case cannot start), with stdout and stderr. */
function runMain(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // The run's own database and Redis (CI's second suite sets them) are not the case's.
  const { DATABASE_URL: _database, REDIS_URL: _redis, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: { ...inherited, ENV: "test", PORT: "0", LOG_LEVEL: "info", DATA_DIR: tempDir(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

/** Exit code 1 and exactly one line on stderr, no stack trace. */
function expectOneLine(result: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(result.code, result.stderr).toBe(1);
  const lines = result.stderr.trim().split("\n");
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}


// Each case starts the real entry point (tsx compiles it first): slow on a busy machine.
describe("a start that cannot work", { timeout: 120_000 }, () => {
  it("says the port is in use", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = busy.address() as { port: number };
      expectOneLine(await runMain({ PORT: String(port), HOST: "127.0.0.1" }), new RegExp(`127\\.0\\.0\\.1:${port}: the port is in use`));
    } finally {
      busy.close();
    }
  });

  it("says HOST is not an address of this machine", async () => {
    // 203.0.113.0/24 is TEST-NET-3: never a local address.
    expectOneLine(await runMain({ HOST: "203.0.113.7" }), /HOST 203\.0\.113\.7: it is not an address of this machine/);
  });

  it("retries a PostgreSQL server that does not answer, then says so", async () => {
    const port = await closedPort();
    const result = await runMain({ DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/tessera`, DATABASE_CONNECT_TIMEOUT_SECONDS: "1" });
    expectOneLine(result, new RegExp(`Cannot reach the PostgreSQL database at postgresql://\\*\\*\\*@127\\.0\\.0\\.1:${port}/tessera .*within 1 s`));
    expect(result.stdout).toMatch(/"msg":"the database does not answer yet; retrying"/);
  });

  it("says a PostgreSQL database does not exist", async () => {
    const url = `postgresql://postgres@127.0.0.1:5432/tessera_missing_${randomUUID().slice(0, 8)}`;
    expectOneLine(await runMain({ DATABASE_URL: url }), /the database does not exist/);
  });

  it("says DATA_DIR cannot be used", async () => {
    const file = path.join(tempDir(), "a-file");
    writeFileSync(file, "not a folder");
    // dev writes its generated secrets there while reading the configuration; test first opens the database there.
    for (const env of ["dev", "test"]) expectOneLine(await runMain({ DATA_DIR: path.join(file, "data"), ENV: env }), /Cannot use DATA_DIR.*a-file/);
  });

  it("lists every invalid setting at once", async () => {
    const result = await runMain({ ENV: "prod", PORT: "http", BCRYPT_COST: "2" });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    for (const name of ["PORT", "BCRYPT_COST", "JWT_SECRET", "WEBHOOK_SECRET"]) expect(result.stderr).toContain(`  - ${name}`);
  });
});
