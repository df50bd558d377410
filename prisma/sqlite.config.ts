import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

// `prisma generate` only checks that a schema engine file exists; it never runs it.
// Naming one here keeps `npm install` offline (the engine download is impossible here).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);

export default defineConfig({
  schema: "sqlite/schema.prisma",
  migrations: { path: "sqlite/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "file:./data/tessera.db" },
});
