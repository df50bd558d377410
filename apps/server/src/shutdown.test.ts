import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));
let child: ChildProcess | undefined;
let dataDir: string | undefined;

afterEach(() => {
  child?.kill("SIGKILL");
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the real entry point on a free port and resolves with its URL once it listens. */
function startMain(): Promise<string> {
  dataDir = mkdtempSync(path.join(tmpdir(), "tessera-shutdown-"));
  child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: { ...process.env, ENV: "test", PORT: "0", DATA_DIR: dataDir, BCRYPT_COST: "12", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    child!.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const url = /"url":"(http:[^"]+)"/.exec(output)?.[1];
      if (url) resolve(url);
    });
    child!.once("exit", (code) => reject(new Error(`server exited early with ${code}: ${output}`)));
  });
}

describe("graceful shutdown", () => {
  it("finishes in-flight requests on SIGTERM, refuses new ones, and exits 0", async () => {
    const url = await startMain();
    const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));
    // Registration with bcrypt cost 12 keeps a request in flight while the signal arrives.
    const inFlight = fetch(`${url}/api/register`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Connection: "close" },
      body: JSON.stringify({ username: "late", email: "late@example.com", password: "Sl0w-but-sure", full_name: "L", gender: "other" }),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    child!.kill("SIGTERM");
    const response = await inFlight;
    expect(response.status).toBe(201);
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
