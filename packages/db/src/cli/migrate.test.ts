import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDataDir, type TestDataDir } from "../testing.ts";

const CLI = fileURLToPath(new URL("./migrate.ts", import.meta.url));

let database: TestDataDir;
beforeAll(async () => {
  database = await createTestDataDir("tessera-migrate-cli-");
});
afterAll(async () => {
  await database.dispose();
});

function run(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", CLI], {
    env: { ...process.env, ENV: "test", DATA_DIR: database.dataDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, output })));
}

describe("npm run migrate (a child process)", () => {
  it("applies the pending migrations once, then has nothing to do", async () => {
    const first = await run({ DATABASE_URL: database.url });
    expect(first, first.output).toMatchObject({ code: 0 });
    expect(first.output).toMatch(/Applied \d+ migration\(s\): .*admin_audit/);
    expect(await run({ DATABASE_URL: database.url })).toMatchObject({ code: 0, output: "No pending migrations.\n" });
  });

  it("fails with a clear one-line message and exit code 1", async () => {
    const badConfig = await run({ DATABASE_URL: "mysql://nowhere/db" });
    expect(badConfig.code).toBe(1);
    expect(badConfig.output).toMatch(/^Invalid configuration: DATABASE_URL/);
    const unreachable = await run({ DATABASE_URL: "postgresql://postgres@127.0.0.1:1/none" });
    expect(unreachable.code).toBe(1);
    expect(unreachable.output).toMatch(/^Migration failed: /);
  });
});
