/**
 * The package as consumers get it: `npm pack` the built SDK and install the tarball into fresh projects outside the
 * workspace (from the registry): alone (npm adds the newest @trpc/* for its peer dependencies), in a React app beside
 * the current @trpc/tanstack-react-query, and with the lowest @trpc/* of its peer range. Programs are type-checked
 * against it with strict settings, and the Node sample runs against a live server (without passing an EventSource).
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
let tarballPath: string;
let tarball: { filename: string; size: number; unpackedSize: number; files: { path: string }[] };
/** Three consumers: the SDK with the newest @trpc/*, a React app beside the current
 * @trpc/tanstack-react-query, and the lowest @trpc/* versions the peer range allows. */
const projects = { current: "", react: "", lowest: "" };
let lowest: string;
// Type-checking the whole router's declarations takes tens of seconds on a busy 2-core machine: more than the 30 s default.
const TSC_TIMEOUT = 180_000;
const tscIn = (project: string, ...args: string[]) =>
  run(process.execPath, [path.join(project, "node_modules/typescript/bin/tsc"), ...args], project);
const tsc = (...args: string[]) => tscIn(projects.current, ...args);
const REACT = ["@tanstack/react-query@^5", "react@^19", "@types/react@^19"];

async function consumer(name: keyof typeof projects, packages: string[]) {
  const project = path.join(tmp, name);
  mkdirSync(project);
  await ok("npm", ["init", "-y"], project);
  await ok("npm", ["pkg", "set", "type=module"], project);
  await ok("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarballPath, "typescript@~5.9.3", ...packages], project);
  for (const file of readdirSync(fixtureDir)) copyFileSync(path.join(fixtureDir, file), path.join(project, file));
  // The README's examples, as published, are checked like any other program.
  const readme = readFileSync(path.join(project, "node_modules/@tessera/sdk/README.md"), "utf8");
  writeFileSync(path.join(project, "quickstart.ts"), /## Quick start\s+```ts\n([\s\S]*?)```/.exec(readme)![1]!);
  writeFileSync(path.join(project, "readme-react.tsx"), /## React\s[\s\S]*?```tsx\n([\s\S]*?)```/.exec(readme)![1]!);
  projects[name] = project;
}

/** The version of every installed copy of a package, nested copies included. */
function copiesOf(project: string, name: string): string[] {
  return readdirSync(path.join(project, "node_modules"), { recursive: true, encoding: "utf8" })
    .map((file) => file.replaceAll(path.sep, "/"))
    .filter((file) => file === `${name}/package.json` || file.endsWith(`/node_modules/${name}/package.json`))
    .map((file) => (JSON.parse(readFileSync(path.join(project, "node_modules", file), "utf8")) as { version: string }).version);
}

beforeAll(async () => {
  const built = statSync(path.join(sdkDir, "dist/index.js"), { throwIfNoEntry: false });
  const sources = Math.max(newest(path.join(sdkDir, "src"), /\.test\.ts$/), newest(path.join(sdkDir, "../api/src"), /\.test\.ts$/));
  if (!built || built.mtimeMs < sources) throw new Error("dist/ is missing or older than the sources: run `npm run build` in packages/sdk");

  tmp = mkdtempSync(path.join(tmpdir(), "tessera-sdk-"));
  // --ignore-scripts: dist/ is already built (prepack would build it again).
  const packed = await ok("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], sdkDir);
  [tarball] = JSON.parse(packed);
  tarballPath = path.join(tmp, tarball.filename);

  const manifest = JSON.parse(readFileSync(path.join(sdkDir, "package.json"), "utf8"));
  lowest = /^\^(11\.\d+\.\d+)$/.exec(manifest.peerDependencies["@trpc/client"])![1]!;
  const trpc = (version: string) => ["client", "server", "tanstack-react-query"].map((name) => `@trpc/${name}@${version}`);
  // Sequential: parallel npm installs into one cache race on a 2-core machine.
  // As the README says to install it. (Left to itself, npm picks the @trpc/* that the optional integration pins.)
  await consumer("current", ["@trpc/client", "@trpc/server", "@types/node@^20.19.0"]);
  // Only the integration is named: npm picks the @trpc/client and @trpc/server it pins, which the SDK must accept.
  await consumer("react", ["@trpc/tanstack-react-query", ...REACT]);
  await consumer("lowest", [...trpc(lowest), ...REACT, "@types/node@^20.19.0"]);
}, 600_000);
describe("the published package", () => {
  it("holds the build, the README and the licence, and nothing else", () => {
    // The declarations both entries share sit in one chunk, named by its hash.
    const files = tarball.files.map((f) => f.path.replace(/-[\w-]{8}\.d\.(c?)ts$/, "-[hash].d.$1ts")).sort();
    expect(files).toEqual([
      "LICENSE", "README.md", "dist/client-[hash].d.cts", "dist/client-[hash].d.ts", "dist/index.cjs", "dist/index.cjs.map",
      "dist/index.d.cts", "dist/index.d.ts", "dist/index.js", "dist/index.js.map", "dist/react.cjs", "dist/react.cjs.map",
      "dist/react.d.cts", "dist/react.d.ts", "dist/react.js", "dist/react.js.map", "package.json",
    ]);
    console.log(`tarball ${tarball.filename}: ${tarball.size} bytes packed, ${tarball.unpackedSize} unpacked`);
    const manifest = JSON.parse(readFileSync(path.join(projects.current, "node_modules/@tessera/sdk/package.json"), "utf8"));
    expect(manifest).toMatchObject({ name: "@tessera/sdk", license: "MIT", sideEffects: false, types: "./dist/index.d.ts" });
    // tRPC is the app's to install (one copy for the SDK and tRPC's React integration alike); eventsource is ours.
    expect(manifest.dependencies).toEqual({ eventsource: expect.any(String) });
    expect(manifest.peerDependencies).toMatchObject({ "@trpc/client": `^${lowest}`, "@trpc/server": `^${lowest}`, "@trpc/tanstack-react-query": `^${lowest}` });
    expect(Object.keys(manifest.peerDependenciesMeta).sort()).toEqual(["@tanstack/react-query", "@trpc/tanstack-react-query", "react"]);
  });

  it("imports only @trpc/* in the main entry's types; at runtime @trpc/client, @trpc/server's observable (both peers), and eventsource when there is no EventSource", () => {
    const dist = (file: string) => readFileSync(path.join(projects.current, "node_modules/@tessera/sdk/dist", file), "utf8");
    const specifiers = (text: string) => [
      ...[...text.matchAll(/\bfrom\s+['"]([^'"]+)['"]/g), ...text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1]),
      ...[...text.matchAll(/\brequire\s*\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1]),
      ...[...text.matchAll(/\/\/\/\s*<reference\s+(?:types|path)=['"]([^'"]+)['"]/g)].map((m) => m[1]),
    ].map((specifier) => specifier!.replace(/^\.\/client-[\w-]{8}\.c?js$/, "./client-[hash]"));
    for (const [index, chunk] of [["index.d.ts", "client-"], ["index.d.cts", "client-"]]) {
      const shared = readdirSync(path.join(projects.current, "node_modules/@tessera/sdk/dist")).find((f) => f.startsWith(chunk!) && f.endsWith(index!.slice(5)))!;
      expect(new Set(specifiers(dist(index!)))).toEqual(new Set(["./client-[hash]", "@trpc/client"]));
      expect(new Set(specifiers(dist(shared)))).toEqual(new Set(["@trpc/client", "@trpc/server"]));
      for (const types of [index!, shared]) expect(dist(types)).not.toMatch(/@tessera\/|@prisma|prisma|zod|trpc-to-openapi|OpenApiMeta/i);
    }
    for (const code of ["index.js", "index.cjs"]) {
      expect(new Set(specifiers(dist(code)))).toEqual(new Set(["@trpc/client", "@trpc/server/observable", "eventsource"]));
      // Browsers and Node alike: no Node-only or DOM-only globals (localStorage and EventSource go via globalThis).
      expect(dist(code)).not.toMatch(/\b(process|Buffer|window|document|self)\s*\.|\bnode:/);
      // eventsource is only imported on demand, so a browser bundle never loads it.
      expect(dist(code)).not.toMatch(/^import .*eventsource|require\(['"]eventsource/m);
    }
    for (const code of ["react.js", "react.cjs"]) expect(new Set(specifiers(dist(code)))).toEqual(new Set(["@trpc/tanstack-react-query"]));
  });

  it("type-checks a Node program (strict, skipLibCheck off), a browser module and the README quick start", async () => {
    const node = await tsc("-p", "tsconfig.json");
    expect(node, node.stdout).toMatchObject({ code: 0 });
    const browser = await tsc("-p", "tsconfig.browser.json");
    expect(browser, browser.stdout).toMatchObject({ code: 0 });
  }, TSC_TIMEOUT);

  it("rejects a wrong input type: the sample's @ts-expect-error line fails without the directive", async () => {
    const sample = readFileSync(path.join(projects.current, "sample.ts"), "utf8");
    expect(sample).toMatch(/\/\/ @ts-expect-error -- title must be a string\n.*title: 42/);
    writeFileSync(path.join(projects.current, "wrong.ts"), sample.replace("// @ts-expect-error -- title must be a string\n", ""));
    const result = await tsc("-p", "tsconfig.wrong.json");
    expect(result.code).not.toBe(0);
    const errors = result.stdout.split("\n").filter((line) => /error TS\d+/.test(line));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^wrong\.ts\(\d+,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
  }, TSC_TIMEOUT);

  it("runs on Node without an EventSource given: register, login, CRUD, refresh, live updates, upload, logout", async () => {
    await runSample(projects.current);
    const cjs = await run(process.execPath, ["out/check.cjs"], projects.current);
    expect(JSON.parse(cjs.stdout)).toEqual({ login: "function", isError: true, code: "TASK_NOT_FOUND" });
  });

  it("passes `npm publish --dry-run`", async () => {
    const result = await run("npm", ["publish", "--dry-run", "--ignore-scripts"], sdkDir);
    expect(result.code, result.stderr).toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain("+ @tessera/sdk@0.1.0");
  });
});

describe("beside the current @trpc/tanstack-react-query", () => {
  it("shares one copy of each tRPC package with it", () => {
    const integration = copiesOf(projects.react, "@trpc/tanstack-react-query");
    expect(integration).toHaveLength(1);
    console.log(`react: @trpc/tanstack-react-query ${integration[0]}, @tanstack/react-query ${copiesOf(projects.react, "@tanstack/react-query")}`);
    for (const name of ["@trpc/client", "@trpc/server", "@tanstack/react-query", "react"]) expect(copiesOf(projects.react, name), name).toHaveLength(1);
    expect(copiesOf(projects.react, "@trpc/client")).toEqual(integration);
  });

  // skipLibCheck on, as in Vite's React template: @trpc/server 11.22's own declarations import Node's `http` and `ws`.
  it("type-checks a component on the options proxy (queries, invalidation, a subscription) and the README's React example", async () => {
    const result = await tscIn(projects.react, "-p", "tsconfig.react.json");
    expect(result, result.stdout).toMatchObject({ code: 0 });
    const wrong = readFileSync(path.join(projects.react, "react.tsx"), "utf8").replace("// @ts-expect-error -- title must be a string\n", "");
    writeFileSync(path.join(projects.react, "react.tsx"), wrong);
    const refused = await tscIn(projects.react, "-p", "tsconfig.react.json");
    expect(refused.stdout).toMatch(/^react\.tsx\(\d+,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/m);
  }, TSC_TIMEOUT);
});

describe("with the lowest @trpc/* of the peer range", () => {
  it("type-checks the Node program, the browser module and the React component, skipLibCheck off", async () => {
    for (const config of ["tsconfig.json", "tsconfig.browser.json", "tsconfig.react.json"]) {
      const result = await tscIn(projects.lowest, "-p", config, "--skipLibCheck", "false");
      expect(result, `${config}: ${result.stdout}`).toMatchObject({ code: 0 });
    }
    expect(copiesOf(projects.lowest, "@trpc/client")).toEqual([lowest]);
  }, TSC_TIMEOUT * 2);

  it("runs the Node program", async () => {
    await runSample(projects.lowest);
  });
});

async function runSample(project: string) {
  const server = await liveServer({ ACCESS_TOKEN_TTL_SECONDS: "2" });
  try {
    const result = await run(process.execPath, ["out/sample.js", server.url], project, 60_000);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const steps = Object.fromEntries(result.stdout.trim().split("\n").map((line) => {
      const { step, detail } = JSON.parse(line) as { step: string; detail: any };
      return [step, detail];
    }));
    expect(Object.keys(steps)).toEqual(["login", "data", "tasks", "refresh", "subscription", "upload", "logout", "done"]);
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
    expect(steps.upload).toEqual({ same: true, refused: "UNSUPPORTED_MEDIA_TYPE" });
    expect(steps.logout).toEqual({ code: "INVALID_TOKEN", tokens: null });
  } finally {
    await server.stop();
  }
}
