import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// A Prisma schema fixes its provider, so PostgreSQL needs a schema file of its own. The models are
// kept in one place (the SQLite schema) and this script derives the PostgreSQL one from it, so the
// two cannot drift apart: `npm run db:check-schemas` (and a test in packages/db) compares the
// committed file with what this derives.
//
//   tsx scripts/derive-postgres-schema.ts          writes prisma/postgresql/schema.prisma
//   tsx scripts/derive-postgres-schema.ts --check  exits 1 when the committed file differs

export const SQLITE_SCHEMA = fileURLToPath(new URL("../prisma/sqlite/schema.prisma", import.meta.url));
export const POSTGRES_SCHEMA = fileURLToPath(new URL("../prisma/postgresql/schema.prisma", import.meta.url));

const HEADER = `// GENERATED from prisma/sqlite/schema.prisma by scripts/derive-postgres-schema.ts: do not edit.
// Change the SQLite schema, then run \`tsx scripts/derive-postgres-schema.ts\`.

`;

/** Replaces exactly one occurrence of `from`, so a reshaped source schema fails loudly instead of deriving nonsense. */
function replaceOnce(text: string, from: RegExp, to: string): string {
  const matches = text.match(new RegExp(from.source, `${from.flags.replace("g", "")}g`));
  if (matches?.length !== 1) throw new Error(`Expected exactly one match for ${from} in the SQLite schema, found ${matches?.length ?? 0}.`);
  return text.replace(from, to);
}

/**
 * The Kysely table types come from this schema (`prisma generate --config prisma/postgresql.config.ts`, run by
 * `npm install`): PostgreSQL's column types say what the values are (DateTime a Date, Boolean a boolean), and
 * packages/db's SQLite driver maps SQLite's text and integers to the same JS values.
 */
const KYSELY_GENERATOR = `generator kysely {
  provider = "prisma-kysely"
  output   = "../../packages/db/src/generated"
  fileName = "tables.ts"
}

`;

export function derivePostgresSchema(sqliteSchema: string): string {
  const schema = replaceOnce(sqliteSchema, /(datasource db \{[^}]*provider\s*=\s*)"sqlite"/, '$1"postgresql"');
  return HEADER + KYSELY_GENERATOR + schema;
}

/** The derived schema and whether the committed file matches it. */
export function checkPostgresSchema(): { expected: string; actual: string; upToDate: boolean } {
  const expected = derivePostgresSchema(readFileSync(SQLITE_SCHEMA, "utf8"));
  let actual = "";
  try {
    actual = readFileSync(POSTGRES_SCHEMA, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  return { expected, actual, upToDate: expected === actual };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { expected, upToDate } = checkPostgresSchema();
  if (process.argv.includes("--check")) {
    if (!upToDate) {
      console.error("prisma/postgresql/schema.prisma is out of date: run `tsx scripts/derive-postgres-schema.ts`.");
      process.exit(1);
    }
    console.log("prisma/postgresql/schema.prisma matches prisma/sqlite/schema.prisma.");
  } else {
    writeFileSync(POSTGRES_SCHEMA, expected);
    console.log(upToDate ? "prisma/postgresql/schema.prisma is up to date." : "Wrote prisma/postgresql/schema.prisma.");
  }
}
