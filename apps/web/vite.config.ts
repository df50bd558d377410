import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev --workspace @tessera/web` serves the app with hot reload and forwards the API to a server
// started with `npm run dev` (port 3000). In production the server itself serves `dist/` (apps/server/src/http/web.ts).
const API = process.env.TESSERA_API_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: Object.fromEntries(["/api", "/trpc", "/docs", "/healthz", "/readyz"].map((path) => [path, { target: API }])),
  },
});
