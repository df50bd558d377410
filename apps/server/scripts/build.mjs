// Builds the production server: one ES module, dist/main.js, bundling the server and the workspace packages it
// imports (@tessera/api, /db, /config are TypeScript sources) and leaving every npm package external, resolved
// from node_modules at run time (native better-sqlite3, the patched @trpc/server, …). `npm start` runs the result
// with plain node: no TypeScript compiler in the production process.
//
//   node scripts/build.mjs            build
//   node scripts/build.mjs --if-stale build only when dist/main.js is missing or older than a source file
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const serverDir = fileURLToPath(new URL("..", import.meta.url));
const root = path.resolve(serverDir, "../..");
export const OUTFILE = path.join(serverDir, "dist", "main.js");
/** What the bundle is made of: a change to any of these makes it stale. */
const SOURCES = ["apps/server/src", "packages/api/src", "packages/db/src", "packages/config/src"].map((dir) => path.join(root, dir));

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(file));
    else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}

export function isStale() {
  if (!existsSync(OUTFILE)) return true;
  const built = statSync(OUTFILE).mtimeMs;
  return SOURCES.some((dir) => newestSource(dir) > built);
}

/** Every bare import but the workspace's own packages stays an import of node_modules. */
const externalPackages = {
  name: "external-packages",
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith("@tessera/") ? undefined : { path: args.path, external: true }));
  },
};

export async function buildServer() {
  await build({
    entryPoints: [path.join(serverDir, "src", "main.ts")],
    outfile: OUTFILE,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: true,
    plugins: [externalPackages],
    logLevel: "warning",
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!process.argv.includes("--if-stale") || isStale()) await buildServer();
}
