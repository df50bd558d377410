/**
 * The data layer against its driver, in this process: one single-row read by primary key (a `data_entries` row,
 * as GET /api/data/{key} reads it), awaited one after another, through the raw driver with a statement prepared
 * once, and through @tessera/db (Kysely: the query built and compiled each time, the statement from its cache).
 * Microseconds of wall time per read on an otherwise idle process: the difference is what the data layer adds.
 */
import Database from "better-sqlite3";
import { sql } from "kysely";
import pg from "pg";
import { createDatabase } from "@tessera/db";
import { KEYS, keyName } from "./seed.ts";

export interface MicroResult {
  database: "SQLite" | "PostgreSQL";
  rawMicros: number;
  layerMicros: number;
}

const READS = 20_000;
const WARMUP = 2_000;
const SELECT = "SELECT key, value FROM data_entries WHERE owner_id = $1 AND key = $2";

/** Mean µs per call of `read` over READS calls, after WARMUP calls; the best of three rounds (the least disturbed). */
async function timePerCall(read: (i: number) => Promise<unknown> | unknown): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await read(i);
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < READS; i++) await read(i);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1000 / READS);
  }
  return best;
}

async function ownerOf(databaseUrl: string, username: string): Promise<string> {
  const db = await createDatabase({ url: databaseUrl, migrate: false });
  try {
    const row = await db.kysely.selectFrom("users").select("id").where("username", "=", username).executeTakeFirstOrThrow();
    return row.id;
  } finally {
    await db.close();
  }
}

/** Reads through @tessera/db, as the data handler does (the same query shape). */
async function layerMicros(databaseUrl: string, ownerId: string): Promise<number> {
  const db = await createDatabase({ url: databaseUrl, migrate: false });
  try {
    await sql`SELECT 1`.execute(db.kysely);
    return await timePerCall((i) =>
      db.kysely.selectFrom("data_entries").select(["key", "value"]).where("owner_id", "=", ownerId).where("key", "=", keyName(i % KEYS)).executeTakeFirst(),
    );
  } finally {
    await db.close();
  }
}

export async function sqliteMicro(file: string, username: string): Promise<MicroResult> {
  const ownerId = await ownerOf(`file:${file}`, username);
  const raw = new Database(file, { readonly: true });
  const statement = raw.prepare(SELECT.replace("$1", "?").replace("$2", "?"));
  try {
    const rawMicros = await timePerCall((i) => statement.get(ownerId, keyName(i % KEYS)));
    return { database: "SQLite", rawMicros, layerMicros: await layerMicros(`file:${file}`, ownerId) };
  } finally {
    raw.close();
  }
}

export async function postgresMicro(databaseUrl: string, username: string): Promise<MicroResult> {
  const ownerId = await ownerOf(databaseUrl, username);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // A named statement: prepared once on the connection, as fast as pg goes.
    const rawMicros = await timePerCall((i) => client.query({ name: "micro", text: SELECT, values: [ownerId, keyName(i % KEYS)] }));
    return { database: "PostgreSQL", rawMicros, layerMicros: await layerMicros(databaseUrl, ownerId) };
  } finally {
    await client.end();
  }
}

/**
 * What the metrics add to each request: one observation of the request-duration histogram (with its labels), as the
 * front door makes after every answer. µs per observation, in this process.
 */
export async function metricsMicros(): Promise<number> {
  const { createMetrics } = await import("../apps/server/src/http/metrics.ts");
  const metrics = createMetrics({ openStreams: () => 0, poolStats: () => undefined });
  const routes = ["/api/data/{key}", "/trpc/data.get", "/healthz", "/api/tasks"];
  return timePerCall((i) => metrics.observe("GET", routes[i % routes.length]!, 200, 0.0004));
}
