import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { lookup } from "mime-types";
import { compress, type Encoding, preferredEncoding } from "./compression.ts";
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

/** The Swagger UI files the page loads, compressed once per encoding and kept (two files: bounded). */
const PAGE_ASSETS = new Set(["/swagger-ui-bundle.js", "/swagger-ui.css"]);

function compressedAssets() {
  const kept = new Map<string, Promise<Buffer>>();
  return (file: string, encoding: Encoding): Promise<Buffer> => {
    const key = `${encoding} ${file}`;
    let bytes = kept.get(key);
    if (!bytes) {
      bytes = readFile(path.join(swaggerUiDir, file)).then((raw) => compress(raw, encoding));
      bytes.catch(() => kept.delete(key));
      kept.set(key, bytes);
    }
    return bytes;
  };
}

/** The API reference at /docs (Swagger UI over /api/openapi.json). `path` is below /docs; false: not one of its files. */
export function docs() {
  const assets = staticFiles(swaggerUiDir);
  const compressed = compressedAssets();
  return async (req: Request, res: Response, path: string, rawQuery: string): Promise<boolean> => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    if (path === "" || path === "/") return sendText(res, "text/html", PAGE), true;
    if (path === "/init.js") return sendText(res, "application/javascript", INIT), true;
    if (!path.startsWith("/assets/")) return false;
    const file = path.slice("/assets".length);
    const encoding = PAGE_ASSETS.has(file) ? preferredEncoding(req) : undefined;
    if (encoding === undefined) return assets(req, res, file, rawQuery);
    // Swagger UI's bundle is 1.4 MB of JavaScript: compressed once, then sent from memory.
    const bytes = await compressed(file, encoding);
    res.setHeader("Content-Type", `${lookup(file) || "application/octet-stream"}; charset=utf-8`);
    res.setHeader("Content-Encoding", encoding);
    res.setHeader("Vary", "Accept-Encoding");
    res.setHeader("Content-Length", bytes.length);
    res.end(bytes);
    return true;
  };
}
