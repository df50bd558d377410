/**
 * Once per e2e run: the real server (src/main.ts, ENV=prod, serving the built app from apps/web/dist) on an
 * ephemeral port with a fresh database (SQLite, or a new PostgreSQL database when DATABASE_URL is a postgres
 * URL; Redis too when REDIS_URL is set), and an admin made with `npm run createsuperuser`'s command.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { processEnvironment } from "@tessera/server/testing";
import type { TestProject } from "vitest/node";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DIST_INDEX = path.join(ROOT, "apps/web/dist/index.html");
const CREATE_SUPERUSER = path.join(ROOT, "packages/api/src/cli/createsuperuser.ts");

export const ADMIN = { username: "root_admin", email: "root@example.com", password: "Adm1n!Passw0rd" };

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    admin: typeof ADMIN;
  }
}

export default async function setup(project: TestProject) {
  if (!existsSync(DIST_INDEX)) throw new Error("apps/web/dist is missing: run `npm run test:e2e` from the root (it builds the app first).");
  // A fresh database and folder, a JWT secret, fast hashing (these tests are about the screens) and no limit on the
  // registrations from 127.0.0.1: processEnvironment's; prod wants the rest.
  const processes = await processEnvironment({
    ENV: "prod",
    WEBHOOK_SECRET: randomBytes(32).toString("base64url"),
    // prod names its payment provider explicitly; the purchases here use the simulator's test cards.
    PAYMENT_PROVIDER: "simulator",
  });
  // The CLI applies the migrations first; the server then finds them applied.
  await promisify(execFile)(process.execPath, ["--import", "tsx", CREATE_SUPERUSER, "--username", ADMIN.username, "--email", ADMIN.email, "--full-name", "Root Admin"], {
    cwd: ROOT,
    env: { ...process.env, ...processes.env, TESSERA_SUPERUSER_PASSWORD: ADMIN.password },
  });
  // REDIS_URL, when set, reaches the server through the environment spawnServer passes on.
  const server = await processes.start();
  project.provide("baseUrl", server.url);
  project.provide("admin", ADMIN);

  return async () => {
    await server.stop();
    await processes.dispose();
  };
}
