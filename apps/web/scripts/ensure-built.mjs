// `npm start` runs this first: builds the web app (and the SDK it imports) when apps/web/dist is missing, so
// a fresh clone serves the app after `npm install && npm start`. When dist exists it only checks for it.
// After changing the app, `npm run build` rebuilds it.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));
if (!existsSync(new URL("../dist/index.html", import.meta.url))) {
  console.log("Building the web app (first start only)…");
  const turbo = process.platform === "win32" ? "turbo.cmd" : "turbo";
  const build = spawnSync(`${root}node_modules/.bin/${turbo}`, ["run", "build", "--filter=@tessera/web", "--output-logs=errors-only"], {
    cwd: root,
    stdio: "inherit",
    env: { TURBO_TELEMETRY_DISABLED: "1", ...process.env },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
