/**
 * The data the scenarios run against: one user with KEYS keys and TASKS tasks, created through the API
 * (so they are exactly what the server writes), and the bulk keys of the 1,000,000-key run, written straight
 * into the database in one transaction (the API would take minutes).
 */
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";

export const KEYS = 1_000;
export const TASKS = 200;
export const PASSWORD = "Bench-passw0rd!";
export const keyName = (i: number) => `key-${String(i).padStart(4, "0")}`;

export interface BenchUser {
  username: string;
  accessToken: string;
}

async function call(url: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: any }> {
  const res = await fetch(url + path, {
    method,
    headers: { "content-type": "application/json", ...(token && { authorization: `Bearer ${token}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

async function expectStatus(status: number, answer: Promise<{ status: number; json: any }>): Promise<any> {
  const { status: got, json } = await answer;
  if (got !== status) throw new Error(`expected ${status}, got ${got}: ${JSON.stringify(json)}`);
  return json;
}

/** Runs `count` calls of `fn`, `concurrency` at a time. */
async function inParallel(count: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await fn(next++);
  }));
}

export async function login(url: string, username: string): Promise<string> {
  const json = await expectStatus(200, call(url, "POST", "/api/token", { username, password: PASSWORD }));
  return json.data.access_token as string;
}

/** Registers a fresh user, logs in, and stores KEYS keys and TASKS tasks through REST. */
export async function seedUser(url: string): Promise<BenchUser> {
  const username = `bench_${randomUUID().slice(0, 8)}`;
  await expectStatus(201, call(url, "POST", "/api/register", {
    username, email: `${username}@example.com`, password: PASSWORD, full_name: "Bench User", gender: "other",
  }));
  const accessToken = await login(url, username);
  const value = "v".repeat(64);
  await inParallel(KEYS, 8, (i) => expectStatus(201, call(url, "POST", "/api/data", { key: keyName(i), value }, accessToken)));
  await inParallel(TASKS, 8, (i) =>
    expectStatus(201, call(url, "POST", "/api/tasks/", { title: `Seeded task ${i}`, description: "Seeded by the benchmark." }, accessToken)),
  );
  return { username, accessToken };
}

const BULK_KEY = (i: number) => `bulk-${String(i).padStart(7, "0")}`;

/**
 * Adds keys to the user's namespace until the table holds `total` rows. The timestamps are copied from a
 * row the server wrote, so the bulk rows are stored exactly as the server stores its own.
 */
export async function addBulkKeys(databaseUrl: string, username: string, total: number): Promise<number> {
  if (databaseUrl.startsWith("file:")) {
    const db = new Database(databaseUrl.slice("file:".length));
    try {
      const template = db
        .prepare("SELECT d.owner_id, d.value, d.created_at FROM data_entries d JOIN users u ON u.id = d.owner_id WHERE u.username = ? LIMIT 1")
        .get(username) as { owner_id: string; value: string; created_at: unknown };
      const existing = (db.prepare("SELECT count(*) AS n FROM data_entries").get() as { n: number }).n;
      const insert = db.prepare("INSERT INTO data_entries (owner_id, key, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?)");
      db.transaction(() => {
        for (let i = existing; i < total; i++) insert.run(template.owner_id, BULK_KEY(i), template.value, template.created_at, template.created_at);
      })();
      return (db.prepare("SELECT count(*) AS n FROM data_entries").get() as { n: number }).n;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const existing = Number((await client.query("SELECT count(*) AS n FROM data_entries")).rows[0].n);
    await client.query(
      `INSERT INTO data_entries (owner_id, key, value, created_at, updated_at)
       SELECT d.owner_id, 'bulk-' || lpad(g::text, 7, '0'), d.value, d.created_at, d.created_at
       FROM (SELECT d.* FROM data_entries d JOIN users u ON u.id = d.owner_id WHERE u.username = $1 LIMIT 1) d,
            generate_series($2::int, $3::int - 1) g`,
      [username, existing, total],
    );
    // What autovacuum would do soon after such a load; the planner's statistics then match the table.
    await client.query("ANALYZE data_entries");
    return Number((await client.query("SELECT count(*) AS n FROM data_entries")).rows[0].n);
  } finally {
    await client.end();
  }
}

/** A throwaway PostgreSQL database for one run, dropped (connections and all) afterwards. */
export async function throwawayPostgres(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tessera_bench_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}
