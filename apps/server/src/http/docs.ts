import { createRequire } from "node:module";
import path from "node:path";
import type { Request, Response } from "./send.ts";
import { staticFiles } from "./static-files.ts";

const swaggerUiDir = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

// Served from the swagger-ui-dist package itself: these machines (and many deployments) are offline.
const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Tessera API reference</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true });`;

function sendText(res: Response, type: string, text: string): void {
  res.setHeader("Content-Type", `${type}; charset=utf-8`);
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(text);
}

/** The API reference at /docs (Swagger UI over /api/openapi.json). `path` is below /docs; false: not one of its files. */
export function docs() {
  const assets = staticFiles(swaggerUiDir);
  return async (req: Request, res: Response, path: string, rawQuery: string): Promise<boolean> => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    if (path === "" || path === "/") return sendText(res, "text/html", PAGE), true;
    if (path === "/init.js") return sendText(res, "application/javascript", INIT), true;
    if (path.startsWith("/assets/")) return assets(req, res, path.slice("/assets".length), rawQuery);
    return false;
  };
}
