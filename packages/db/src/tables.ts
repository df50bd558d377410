import type { ColumnType, Kysely, Transaction as KyselyTransaction } from "kysely";
import type { DB } from "./generated/tables.ts";

/**
 * A timestamp column as the code sees it: a Date in, a Date out, on both databases. The generated types also
 * accept strings, and make columns with a database default optional; both are closed here, because SQLite's
 * CURRENT_TIMESTAMP and a caller's own string would not be in the one text format that SQLite's columns sort by
 * (see sqlite.ts): every timestamp is written by the code, as a Date.
 */
type Timestamp = ColumnType<Date, Date, Date>;

/** Distributes over `| null`: a nullable timestamp column stays nullable. */
type Strict<Column> = Column extends ColumnType<infer Select, unknown, unknown> ? (Select extends Date ? Timestamp : Column) : Column;

/** Every table of prisma/postgresql/schema.prisma, by its SQL name, with its columns' types (generated). */
export type Tables = { [Table in keyof DB]: { [Column in keyof DB[Table]]: Strict<DB[Table][Column]> } };

/** The database (or a transaction): what queries are built on. */
export type Executor = Kysely<Tables>;
/** What `Database.transaction` hands its work: queries inside it must use this, never the outer Executor. */
export type Transaction = KyselyTransaction<Tables>;
