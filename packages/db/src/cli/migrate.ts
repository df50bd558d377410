import { ConfigError, loadConfig } from "@tessera/config";
import { applyMigrations } from "../migrate.ts";

// `npm run migrate`: applies pending migrations to the configured database (SQLite or PostgreSQL), then exits.
try {
  const { databaseUrl } = loadConfig();
  const applied = await applyMigrations(databaseUrl);
  console.log(applied.length > 0 ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "No pending migrations.");
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Migration failed: ${(error as Error).message}`);
  process.exit(1);
}
