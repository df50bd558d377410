export { createDatabase, type Database, type DatabaseOptions, type Prisma, type Transaction } from "./client.ts";
export { applyMigrations } from "./migrate.ts";
export { isRecordNotFound, isUniqueViolation } from "./errors.ts";
