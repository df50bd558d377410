export { createDatabase, type Database, type DatabaseOptions, type TransactionOptions } from "./database.ts";
export { applyMigrations, committedMigrations } from "./migrate.ts";
export { isUniqueViolation, isWriteConflict } from "./errors.ts";
export type { Executor, Tables, Transaction } from "./tables.ts";
export type { WriteWatch } from "./write-watch.ts";
