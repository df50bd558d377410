import { createRequire } from "node:module";
import path from "node:path";
import express, { Router } from "express";

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

export function docs(): Router {
  const router = Router();
  router.get("/", (_req, res) => void res.type("html").send(PAGE));
  router.get("/init.js", (_req, res) => void res.type("js").send(INIT));
  router.use("/assets", express.static(swaggerUiDir, { index: false }));
  return router;
}
