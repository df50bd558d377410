import { describe, expect, it } from "vitest";
import { checkPostgresSchema } from "../../../scripts/derive-postgres-schema.ts";

// The same check as `npm run db:check-schemas`, so CI catches a PostgreSQL schema that drifted from the SQLite one.
describe("prisma/postgresql/schema.prisma", () => {
  it("is what scripts/derive-postgres-schema.ts derives from prisma/sqlite/schema.prisma", () => {
    const { expected, actual } = checkPostgresSchema();
    expect(actual, "run `npm run db:derive-schemas`").toBe(expected);
  });
});
