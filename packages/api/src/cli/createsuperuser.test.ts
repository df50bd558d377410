import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createDatabase, type Database } from "@tessera/db";
import { createTestDataDir, type TestDataDir } from "@tessera/db/testing";
import bcrypt from "bcrypt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CLI = fileURLToPath(new URL("./createsuperuser.ts", import.meta.url));
const PASSWORD = "Sup3r-secret!";

let database: TestDataDir;
let db: Database | undefined;
beforeAll(async () => {
  database = await createTestDataDir("tessera-cli-test-");
});
afterAll(async () => {
  await db?.close();
  await database.dispose();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real command as its own process, stdin not a terminal, against this file's fresh database. */
function run(args: string[], env: Record<string, string | undefined> = { TESSERA_SUPERUSER_PASSWORD: PASSWORD }): Promise<Run> {
  const { TESSERA_SUPERUSER_PASSWORD: _, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
    env: { ...inherited, ENV: "test", DATA_DIR: database.dataDir, DATABASE_URL: database.url, BCRYPT_COST: "4", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin.end();
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

const users = async () => {
  db ??= await createDatabase({ url: database.url, migrate: false });
  return db.kysely.selectFrom("users").selectAll().orderBy("username_key").execute();
};

// Each case starts the real command (tsx compiles it at start): slow on a busy machine, so a wider budget.
describe("npm run createsuperuser (a child process)", { timeout: 120_000 }, () => {
  it("creates an active admin from TESSERA_SUPERUSER_PASSWORD, migrating a fresh database first", async () => {
    const result = await run(["--username", "Root", "--email", "Root@Example.com", "--full-name", "The Operator"]);
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/Superuser "Root" created/);
    const [root] = await users();
    expect(root).toMatchObject({ username: "Root", username_key: "root", email: "root@example.com", role: "admin", is_active: true, full_name: "The Operator" });
    expect(await bcrypt.compare(PASSWORD, root!.password_hash)).toBe(true);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    const audit = await db!.kysely.selectFrom("audit_entries").selectAll().where("action", "=", "admin.superuser.created").execute();
    expect(audit).toMatchObject([{ target_id: root!.id, actor_id: null, client_address: "cli" }]);
  });

  it("refuses a taken username or email (case-insensitively) with exit code 1", async () => {
    const byName = await run(["--username", "ROOT", "--email", "other@example.com"]);
    expect(byName.code).toBe(1);
    expect(byName.stderr).toMatch(/username "ROOT" is already taken/);
    const byEmail = await run(["--username", "other", "--email", "ROOT@example.com"]);
    expect(byEmail.code).toBe(1);
    expect(byEmail.stderr).toMatch(/email "root@example.com" already exists/);
    expect(await users()).toHaveLength(1);
  });

  it("applies the registration rules with exit code 2", async () => {
    const weak = await run(["--username", "weakling", "--email", "weak@example.com"], { TESSERA_SUPERUSER_PASSWORD: "password" });
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/password: Password must contain/);
    expect(weak.stderr).not.toContain("password\n");
    const badName = await run(["--username", "no spaces", "--email", "not-an-email"]);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/username: .*email: /s);
  });

  it("answers bad usage with exit code 2 and the usage line", async () => {
    for (const args of [[], ["--username", "only"], ["--username", "x1y", "--email", "e@example.com", "--bogus"]]) {
      const result = await run(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/Usage: npm run createsuperuser/);
    }
  });

  it("without TESSERA_SUPERUSER_PASSWORD and without a terminal, says how to give a password (exit code 2)", async () => {
    const result = await run(["--username", "noprompt", "--email", "noprompt@example.com"], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/set TESSERA_SUPERUSER_PASSWORD/);
    expect(await users()).toHaveLength(1);
  });
});
