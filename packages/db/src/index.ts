export { createDatabase, type Database, type DatabaseOptions, type Prisma } from "./client.ts";
export { applyMigrations } from "./migrate.ts";
export { isUniqueViolation } from "./errors.ts";
