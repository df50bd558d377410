import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

// `prisma generate` only checks that a schema engine file exists; it never runs it.
// Naming one here keeps `npm install` offline (the engine download is impossible here).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);

// The schema is derived from prisma/sqlite/schema.prisma (scripts/derive-postgres-schema.ts): edit that one.
export default defineConfig({
  schema: "postgresql/schema.prisma",
  migrations: { path: "postgresql/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/tessera" },
});
