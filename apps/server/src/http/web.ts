import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import accepts from "accepts";
import type { Request, Response } from "./send.ts";
import { staticFiles } from "./static-files.ts";

/** apps/server: the nearest folder above this module with a package.json (src/http/ as source, dist/ when bundled). */
function serverRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/** Where `npm run build` (vite, in apps/web) puts the web app. */
export const WEB_DIST = path.resolve(serverRoot(), "../web/dist");

/** The server's own paths: never answered with the app, so their own routes and JSON 404s stay as they are. */
export const SERVER_PATHS = /^\/(api|trpc|docs|healthz|readyz)(\/|$)/i;

/** True when the request prefers HTML to JSON: a browser navigating, not an API client. */
const wantsPage = (req: Request) => accepts(req).type(["json", "html"]) === "html";

/**
 * The built web app at `/`, when it has been built (else this answers nothing and `/` is a JSON 404 as before).
 * Files are served as they are; content-hashed assets are cached for good, index.html is revalidated each time.
 * Any other GET that asks for HTML (a browser opening /tasks, say) gets index.html, whose router shows the
 * screen; API clients, which ask for JSON or anything, keep getting the JSON 404 for unknown paths.
 * Resolves false when it did not answer.
 */
export function webApp(dist: string = WEB_DIST) {
  const indexHtml = path.join(dist, "index.html");
  // Built with .br and .gz copies beside them (apps/web/scripts/compress.mjs): sent to browsers that accept them.
  const assets = staticFiles(path.join(dist, "assets"), { immutable: true, maxAge: "1y", precompressed: true });
  const files = staticFiles(dist);
  const index = staticFiles(dist, { cacheControl: false });
  return async (req: Request, res: Response, urlPath: string, rawQuery: string): Promise<boolean> => {
    if (SERVER_PATHS.test(urlPath)) return false;
    if (urlPath.startsWith("/assets/") && (await assets(req, res, urlPath.slice("/assets".length), rawQuery))) return true;
    if (await files(req, res, urlPath, rawQuery)) return true;
    if ((req.method !== "GET" && req.method !== "HEAD") || !wantsPage(req) || !existsSync(indexHtml)) return false;
    res.setHeader("Cache-Control", "no-cache");
    return index(req, res, "/index.html", "");
  };
}
