/**
 * The package as a consumer gets it: `npm pack` the built SDK, install the tarball into a fresh project outside
 * the workspace (from the registry: @trpc/*, typescript, eventsource, @types/node), type-check programs against it
 * with strict settings and skipLibCheck off, then run the Node sample against a live server.
 * Needs dist/ built first (turbo's test task depends on build; or `npm run build` here).
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveServer } from "./helpers.ts";

const sdkDir = path.resolve(import.meta.dirname, "..");
const fixtureDir = path.join(sdkDir, "test", "fixture");

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

// npm passes its settings to scripts as npm_* variables; a child npm must not inherit the workspace's (only the
// ones that say how to reach the registry).
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) || /^npm_config_(registry|cache|userconfig|.*proxy|cafile|strict_ssl)$/i.test(key)),
);

function run(command: string, args: string[], cwd: string, timeout = 180_000): Promise<Result> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: childEnv, timeout, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr || (error && code !== 0 ? String(error) : "") });
    });
  });
}

async function ok(command: string, args: string[], cwd: string, timeout?: number): Promise<string> {
  const result = await run(command, args, cwd, timeout);
  expect(result.code, `${command} ${args.join(" ")}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

const newest = (dir: string, skip: RegExp): number =>
  Math.max(0, ...readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !skip.test(file))
    .map((file) => statSync(path.join(dir, file)).mtimeMs));

let tmp: string;
let project: string;
let tarball: { filename: string; size: number; unpackedSize: number; files: { path: string }[] };
// Type-checking the whole router's declarations takes tens of seconds on a busy 2-core machine: more than the 30 s default.
const TSC_TIMEOUT = 180_000;
const tsc = (...args: string[]) => run(process.execPath, [path.join(project, "node_modules/typescript/bin/tsc"), ...args], project);

beforeAll(async () => {
  const built = statSync(path.join(sdkDir, "dist/index.js"), { throwIfNoEntry: false });
  const sources = Math.max(newest(path.join(sdkDir, "src"), /\.test\.ts$/), newest(path.join(sdkDir, "../api/src"), /\.test\.ts$/));
  if (!built || built.mtimeMs < sources) throw new Error("dist/ is missing or older than the sources: run `npm run build` in packages/sdk");

  tmp = mkdtempSync(path.join(tmpdir(), "tessera-sdk-"));
  // --ignore-scripts: dist/ is already built (prepack would build it again).
  const packed = await ok("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], sdkDir);
  [tarball] = JSON.parse(packed);

  project = path.join(tmp, "consumer");
  mkdirSync(project);
  await ok("npm", ["init", "-y"], project);
  await ok("npm", ["pkg", "set", "type=module"], project);
  await ok("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline",
    path.join(tmp, tarball.filename), "typescript@~5.9.3", "eventsource@^4.1.1", "@types/node@^20.19.0"], project);
  for (const file of readdirSync(fixtureDir)) copyFileSync(path.join(fixtureDir, file), path.join(project, file));
  // The README's quick start, as published, is checked like any other program.
  const readme = readFileSync(path.join(project, "node_modules/@tessera/sdk/README.md"), "utf8");
  writeFileSync(path.join(project, "quickstart.ts"), /## Quick start\s+```ts\n([\s\S]*?)```/.exec(readme)![1]!);
}, 300_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("the published package", () => {
  it("holds the build, the README and the licence, and nothing else", () => {
    expect(tarball.files.map((f) => f.path).sort()).toEqual([
      "LICENSE", "README.md", "dist/index.cjs", "dist/index.cjs.map", "dist/index.d.cts", "dist/index.d.ts", "dist/index.js",
      "dist/index.js.map", "package.json",
    ]);
    console.log(`tarball ${tarball.filename}: ${tarball.size} bytes packed, ${tarball.unpackedSize} unpacked`);
    const manifest = JSON.parse(readFileSync(path.join(project, "node_modules/@tessera/sdk/package.json"), "utf8"));
    expect(manifest).toMatchObject({ name: "@tessera/sdk", license: "MIT", sideEffects: false, types: "./dist/index.d.ts" });
    expect(Object.keys(manifest.dependencies).sort()).toEqual(["@trpc/client", "@trpc/server"]);
  });

  it("imports nothing but @trpc/* in its types, and only @trpc/client at runtime", () => {
    const dist = (file: string) => readFileSync(path.join(project, "node_modules/@tessera/sdk/dist", file), "utf8");
    const specifiers = (text: string) => [
      ...[...text.matchAll(/\bfrom\s+['"]([^'"]+)['"]/g), ...text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1]),
      ...[...text.matchAll(/\brequire\s*\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1]),
      ...[...text.matchAll(/\/\/\/\s*<reference\s+(?:types|path)=['"]([^'"]+)['"]/g)].map((m) => m[1]),
    ];
    for (const types of ["index.d.ts", "index.d.cts"]) {
      expect(new Set(specifiers(dist(types)))).toEqual(new Set(["@trpc/client", "@trpc/server"]));
      expect(dist(types)).not.toMatch(/@tessera\/|@prisma|prisma|zod|trpc-to-openapi|OpenApiMeta/i);
    }
    for (const code of ["index.js", "index.cjs"]) {
      expect(new Set(specifiers(dist(code)))).toEqual(new Set(["@trpc/client"]));
      // Browsers and Node alike: no Node-only or DOM-only globals (localStorage and EventSource go via globalThis).
      expect(dist(code)).not.toMatch(/\b(process|Buffer|window|document|self)\s*\.|\bnode:/);
    }
  });

  it("type-checks a Node program (strict, skipLibCheck off), a browser module and the README quick start", async () => {
    const node = await tsc("-p", "tsconfig.json");
    expect(node, node.stdout).toMatchObject({ code: 0 });
    const browser = await tsc("-p", "tsconfig.browser.json");
    expect(browser, browser.stdout).toMatchObject({ code: 0 });
  }, TSC_TIMEOUT);

  it("rejects a wrong input type: the sample's @ts-expect-error line fails without the directive", async () => {
    const sample = readFileSync(path.join(project, "sample.ts"), "utf8");
    expect(sample).toMatch(/\/\/ @ts-expect-error -- title must be a string\n.*title: 42/);
    writeFileSync(path.join(project, "wrong.ts"), sample.replace("// @ts-expect-error -- title must be a string\n", ""));
    const result = await tsc("-p", "tsconfig.wrong.json");
    expect(result.code).not.toBe(0);
    const errors = result.stdout.split("\n").filter((line) => /error TS\d+/.test(line));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^wrong\.ts\(\d+,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
  }, TSC_TIMEOUT);

  it("runs: register, login, data and tasks CRUD, refresh after expiry, live updates to the owner only, logout", async () => {
    const server = await liveServer({ ACCESS_TOKEN_TTL_SECONDS: "2" });
    try {
      const result = await run(process.execPath, ["out/sample.js", server.url], project, 60_000);
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      const steps = Object.fromEntries(result.stdout.trim().split("\n").map((line) => {
        const { step, detail } = JSON.parse(line) as { step: string; detail: any };
        return [step, detail];
      }));
      expect(Object.keys(steps)).toEqual(["login", "data", "tasks", "refresh", "subscription", "logout", "done"]);
      expect(steps.login).toEqual({ me: expect.stringMatching(/^ada_/) });
      expect(steps.data).toEqual({ stored: "dark", listed: ["theme=light"], afterDelete: "KEY_NOT_FOUND", bobSees: "KEY_NOT_FOUND" });
      expect(steps.tasks).toEqual({
        status: "in_progress", due: "2030-01-01T00:00:00.000Z", found: ["Notes on the engine"], hidden: "TASK_NOT_FOUND",
        gone: "TASK_NOT_FOUND", invalid: "INVALID_REQUEST", details: [{ path: "title", message: expect.any(String) }],
      });
      expect(steps.refresh).toEqual({ ok: true, refreshes: 1 });
      const { live, ada, bob } = steps.subscription;
      expect(ada).toEqual(expect.arrayContaining([`created:${live.title}`, `updated:${live.title}`, `deleted:${live.id}`]));
      expect(ada.every((event: string) => /^(created|updated):Live \d$|^deleted:/.test(event))).toBe(true);
      expect(bob).toEqual(["created:Bob's"]);
      expect(steps.logout).toEqual({ code: "INVALID_TOKEN", tokens: null });

      const cjs = await run(process.execPath, ["out/check.cjs"], project);
      expect(JSON.parse(cjs.stdout)).toEqual({ login: "function", isError: true, code: "TASK_NOT_FOUND" });
    } finally {
      await server.stop();
    }
  });

  it("passes `npm publish --dry-run`", async () => {
    const result = await run("npm", ["publish", "--dry-run", "--ignore-scripts"], sdkDir);
    expect(result.code, result.stderr).toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain("+ @tessera/sdk@0.1.0");
  });
});
