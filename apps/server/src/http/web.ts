import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { Router } from "express";

/** Where `npm run build` (vite, in apps/web) puts the web app. */
export const WEB_DIST = fileURLToPath(new URL("../../../web/dist", import.meta.url));

/** The server's own paths: never answered with the app, so their own routes and JSON 404s stay as they are. */
const SERVER_PATHS = /^\/(api|trpc|docs|healthz|readyz)(\/|$)/i;

/**
 * The built web app at `/`, when it has been built (else this does nothing and `/` is a JSON 404 as before).
 * Files are served as they are; content-hashed assets are cached for good, index.html is revalidated each time.
 * Any other GET that asks for HTML (a browser opening /tasks, say) gets index.html, whose router shows the
 * screen; API clients, which ask for JSON or anything, keep getting the JSON 404 for unknown paths.
 */
export function webApp(dist: string = WEB_DIST): Router {
  const router = Router();
  const indexHtml = path.join(dist, "index.html");
  router.use((req, _res, next) => next(SERVER_PATHS.test(req.path) ? "router" : undefined));
  router.use("/assets", express.static(path.join(dist, "assets"), { index: false, immutable: true, maxAge: "1y" }));
  router.use(express.static(dist, { index: false }));
  router.use((req, res, next) => {
    const wantsPage = (req.method === "GET" || req.method === "HEAD") && req.accepts(["json", "html"]) === "html";
    if (!wantsPage || !existsSync(indexHtml)) return next();
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(indexHtml);
  });
  return router;
}
