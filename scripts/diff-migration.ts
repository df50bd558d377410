import { readFileSync } from "node:fs";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { SchemaEngine } from "@prisma/schema-engine-wasm";

// The SQL that takes one Prisma schema to another, computed offline by Prisma's own schema engine (the wasm
// build in devDependencies; the native engine cannot be downloaded here). A starting point for a migration:
// review it, and edit the PostgreSQL one where PostgreSQL differs (COLLATE "C" on code-point-ordered text).
//
//   git show HEAD:prisma/sqlite/schema.prisma > /tmp/before.prisma
//   NODE_OPTIONS=--experimental-wasm-modules tsx scripts/diff-migration.ts sqlite /tmp/before.prisma prisma/sqlite/schema.prisma
//   (postgresql likewise, with prisma/postgresql/schema.prisma; the engine connects to a PostgreSQL server,
//   DATABASE_URL or postgres@127.0.0.1, but changes nothing there)

const [provider, fromFile, toFile] = process.argv.slice(2);
if ((provider !== "sqlite" && provider !== "postgresql") || !fromFile || !toFile) {
  console.error("usage: tsx scripts/diff-migration.ts <sqlite|postgresql> <from.prisma> <to.prisma>");
  process.exit(2);
}
const adapter: SqlMigrationAwareDriverAdapterFactory =
  provider === "sqlite" ? new PrismaBetterSqlite3({ url: ":memory:" }) : new PrismaPg({ connectionString: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" });
const engine = await SchemaEngine.new({ datamodels: undefined }, () => {}, bindMigrationAwareSqlAdapterFactory(adapter));
const schema = (file: string) => ({ tag: "schemaDatamodel" as const, files: [{ path: file, content: readFileSync(file, "utf8") }] });
const result = await engine.diff({ from: schema(fromFile), to: schema(toFile), script: true, exitCode: null, filters: { externalTables: [], externalEnums: [] } });
process.stdout.write(result.stdout ?? "");
