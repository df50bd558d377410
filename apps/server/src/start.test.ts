/**
 * `npm start` as an operator (or a supervisor) runs it: compiled JavaScript, no TypeScript compiler in the process
 * tree, and the process npm starts is the server itself, so a SIGTERM to `npm start` stops the server gracefully
 * instead of leaving it running as an orphan.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@tessera/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

let dataDir: string;
let database: TestDatabase;
let npm: ChildProcess;
let output = "";
let exited: Promise<number | null>;

/** The command line and parent of a process, from /proc. */
function processInfo(pid: number) {
  const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  return { command, parent };
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "tessera-start-"));
  database = await createTestDatabase(dataDir);
  npm = spawn("npm", ["start"], {
    cwd: ROOT,
    // With REDIS_URL in the environment (CI's second run), keys of its own.
    env: { ...process.env, ENV: "test", PORT: "0", DATA_DIR: dataDir, DATABASE_URL: database.url, LOG_LEVEL: "info", REDIS_KEY_PREFIX: `tessera-test:${randomUUID()}:` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  exited = new Promise((resolve) => npm.once("exit", (code) => resolve(code)));
  // It may build the server (and, on a fresh clone, the web app) first: a wide budget (the hook's) on a busy machine.
  await new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (/"msg":"Tessera is listening"/.test(output)) resolve();
    };
    npm.stdout!.on("data", read);
    npm.stderr!.on("data", read);
    void exited.then((code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
}, 300_000);

afterAll(async () => {
  if (npm?.exitCode === null) npm.kill("SIGKILL");
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start", () => {
  it("serves from compiled JavaScript in a process npm started itself, and stops it with npm's SIGTERM", async () => {
    const listening = JSON.parse(output.split("\n").find((line) => line.includes('"msg":"Tessera is listening"'))!) as { pid: number; url: string };
    expect((await fetch(`${listening.url}/readyz`)).status).toBe(200);

    const server = processInfo(listening.pid);
    expect(server.parent, "the server is npm's own child (no shell, no second npm in between)").toBe(npm.pid);
    expect(server.command.join(" ")).toMatch(/^\S*node\S* \S*apps\/server\/scripts\/start\.mjs$/);
    expect(server.command.join(" ")).not.toMatch(/tsx/);

    npm.kill("SIGTERM");
    await exited;
    await expect.poll(() => isRunning(listening.pid), { timeout: 30_000 }).toBe(false);
    expect(output).toMatch(/"msg":"shutting down"/);
    await expect(fetch(`${listening.url}/healthz`)).rejects.toThrow();
  });
});
