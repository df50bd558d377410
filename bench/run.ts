/**
 * `npm run bench`: the real server in production mode (SQLite, then PostgreSQL), a floor to compare it with,
 * and the targets. See docs/BENCHMARKS.md for what each number means.
 *
 * Options: --seconds=N (per scenario, default 5), --only=sqlite|postgresql, --cpu-prof (the server writes a
 * .cpuprofile per pass into bench/profiles/; summarise one with `tsx bench/profile.ts FILE`),
 * --json=FILE (the raw results), --match=TEXT (only the scenarios whose name contains TEXT: for profiling). The floor is measured in the SQLite pass (on its seeded file).
 * PostgreSQL: PG_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildServer } from "../apps/server/scripts/build.mjs";
import { measure, type Result, type Scenario } from "./load.ts";
import { metricsMicros, postgresMicro, sqliteMicro } from "./micro.ts";
import { type Process, startFloor, startTessera } from "./processes.ts";
import { type Floor, type PassResults, resultsTable, targets } from "./report.ts";
import { BATCH_SIZE, requests } from "./scenarios.ts";
import { addBulkKeys, KEYS, login, seedUser, TASKS, throwawayPostgres } from "./seed.ts";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    only: { type: "string" },
    "cpu-prof": { type: "boolean", default: false },
    json: { type: "string" },
    match: { type: "string" },
  },
});
const SECONDS = Number(args.seconds);
const CONNECTIONS = 32;
const LOGINS = 8;
const LARGE_TABLE = 1_000_000;
/** The read load beside the login storm: steady, well below capacity, so that its p99 shows stalls, not queueing. */
const STORM_READ_RATE = 200;
const load = { connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: 1 };
const PROFILE_DIR = path.resolve("bench/profiles");

const NAMES = {
  healthz: "GET /healthz",
  getData: "REST GET /api/data/{key}",
  trpcGet: "tRPC data.get",
  putData: "REST PUT /api/data/{key}",
  listTasks: "REST GET /api/tasks/?limit=20",
  createTask: "REST POST /api/tasks/",
  calmReads: `GET data at ${STORM_READ_RATE} req/s`,
  stormReads: `GET data at ${STORM_READ_RATE} req/s during ${LOGINS} concurrent logins`,
  large: `GET data, ${LARGE_TABLE.toLocaleString("en")} rows in data_entries`,
  trpcBatch: `tRPC data.get, batch of ${BATCH_SIZE}`,
};

const log = (message: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

/** The server's environment: production mode as a deployment would run it (LOG_LEVEL info, the default). */
const serverEnv = (dataDir: string, databaseUrl: string, secret: string) => ({
  ENV: "prod",
  NODE_ENV: "production",
  JWT_SECRET: secret,
  WEBHOOK_SECRET: secret,
  PAYMENT_PROVIDER: "simulator",
  DATA_DIR: dataDir,
  DATABASE_URL: databaseUrl,
  LOG_LEVEL: "info",
  // The POST scenario alone creates more tasks for its one user (thousands a second) than the default quota of
  // 10,000 allows; a quota refusal is not the insert this scenario measures.
  QUOTA_TASKS_PER_USER: "1000000",
});

/** Logs in LOGINS times at once, over and over, until `until` settles; counts the logins and their times. */
async function loginStorm(url: string, username: string, until: Promise<unknown>) {
  let done = false;
  const stop = () => void (done = true);
  until.then(stop, stop);
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: LOGINS }, async () => {
      while (!done) {
        const started = performance.now();
        await login(url, username);
        times.push(performance.now() - started);
      }
    }),
  );
  times.sort((a, b) => a - b);
  return { logins: times.length, loginP50: times[Math.floor(times.length / 2)] ?? NaN };
}

async function runPass(database: PassResults["database"], databaseUrl: string, work: string, secret: string, onSeeded?: (url: string, token: string) => Promise<void>): Promise<PassResults> {
  const name = database.toLowerCase();
  const env = serverEnv(work, databaseUrl, secret);
  const logFile = path.join(work, `${name}-server.log`);
  // The first start migrates the new database; the seeded user is then measured by a second, cold start.
  const first = await startTessera(env, logFile);
  log(`${database}: seeding ${KEYS} keys and ${TASKS} tasks`);
  const user = await seedUser(first.url);
  await first.stop();
  const micro = await (database === "SQLite" ? sqliteMicro(databaseUrl.slice("file:".length), user.username) : postgresMicro(databaseUrl, user.username));
  log(`${database}: a single-row read: ${micro.rawMicros.toFixed(1)} µs raw, ${micro.layerMicros.toFixed(1)} µs through @tessera/db`);
  const server = await startTessera(env, logFile, args["cpu-prof"] ? PROFILE_DIR : undefined);
  try {
    log(`${database}: server pid ${server.pid} at ${server.url}, answering /readyz ${server.startedInMs.toFixed(0)} ms after its start`);
    await onSeeded?.(server.url, user.accessToken);
    const scenario = (label: string, next: Scenario["next"], extra: Partial<Scenario> = {}): Scenario => ({
      name: label, url: server.url, next, headers: { authorization: `Bearer ${user.accessToken}` }, serverCpuMs: server.cpuMs, ...extra,
    });
    const plan: Scenario[] = [
      scenario(NAMES.healthz, requests.healthz, { headers: {} }),
      scenario(NAMES.getData, requests.getData),
      scenario(NAMES.trpcGet, requests.trpcGet),
      scenario(NAMES.trpcBatch, requests.trpcBatch, { itemsPerRequest: BATCH_SIZE }),
      scenario(NAMES.listTasks, requests.listTasks),
      scenario(NAMES.putData, requests.putData),
      scenario(NAMES.createTask, requests.createTask),
    ];
    const wanted = (name: string) => args.match === undefined || name.includes(args.match);
    const scenarios: Result[] = [];
    for (const item of plan.filter((candidate) => wanted(candidate.name))) {
      log(`${database}: ${item.name}`);
      scenarios.push(await measure(item, load));
    }

    let storm: PassResults["storm"];
    if (wanted(NAMES.stormReads)) {
      log(`${database}: ${NAMES.calmReads}, then again while ${LOGINS} logins run at once, continuously`);
      const calm = await measure(scenario(NAMES.calmReads, requests.getData), { ...load, rate: STORM_READ_RATE });
      const reading = measure(scenario(NAMES.stormReads, requests.getData), { ...load, warmupSeconds: 0, rate: STORM_READ_RATE });
      const logins = await loginStorm(server.url, user.username, reading);
      storm = { calm, reads: await reading, ...logins };
    }

    let large: PassResults["large"];
    if (wanted(NAMES.large)) {
      log(`${database}: growing data_entries to ${LARGE_TABLE.toLocaleString("en")} rows`);
      const rows = await addBulkKeys(databaseUrl, user.username, LARGE_TABLE);
      log(`${database}: GET data with ${rows.toLocaleString("en")} rows`);
      large = { reads: await measure(scenario(NAMES.large, requests.getData), load), rows };
    }
    return { database, scenarios, storm, large, memory: server.memory(), coldStartMs: server.startedInMs, micro };
  } finally {
    const code = await server.stop();
    if (code !== 0) log(`${database}: the server exited with ${code}`);
  }
}

async function measureFloor(databaseFile: string, work: string, secret: string, token: string): Promise<Floor> {
  const floor: Process = await startFloor({ FLOOR_DB: databaseFile, JWT_SECRET: secret }, path.join(work, "floor.log"));
  try {
    log(`floor: pid ${floor.pid} at ${floor.url}`);
    const scenario = { name: "floor GET /api/data/{key}", url: floor.url, next: requests.getData, headers: { authorization: `Bearer ${token}` }, serverCpuMs: floor.cpuMs };
    const getData = await measure(scenario, load);
    const bare = await measure({ name: "bare node:http GET /healthz", url: floor.url, next: requests.healthz, serverCpuMs: floor.cpuMs }, load);
    return { getData, bare };
  } finally {
    await floor.stop();
  }
}

async function main() {
  const started = Date.now();
  const work = mkdtempSync(path.join(tmpdir(), "tessera-bench-"));
  if (args["cpu-prof"]) mkdirSync(PROFILE_DIR, { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  const passes: PassResults[] = [];
  let floor: Floor | undefined;
  log("building the server (apps/server/dist/main.js)");
  await buildServer();
  try {
    const sqliteFile = path.join(work, "tessera.db");
    // The floor reads the SQLite pass's seeded rows, while the Tessera server is up but idle.
    const onSeeded = async (_url: string, token: string) => {
      floor = await measureFloor(sqliteFile, work, secret, token);
    };
    if (args.only !== "postgresql") passes.push(await runPass("SQLite", `file:${sqliteFile}`, work, secret, onSeeded));
    if (args.only !== "sqlite") {
      const pg = await throwawayPostgres(process.env.PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
      try {
        passes.push(await runPass("PostgreSQL", pg.url, work, secret));
      } finally {
        await pg.drop();
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  console.log(`\nTessera benchmark, ${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}`);
  console.log(`${CONNECTIONS} connections, ${SECONDS} s per scenario after 1 s of warm-up; ${KEYS} keys and ${TASKS} tasks seeded.\n`);
  console.log(resultsTable(floor, passes));
  console.log();
  console.log(targets(floor, passes, NAMES));
  for (const pass of passes) {
    if (!pass.storm) continue;
    console.log(
      `\n${pass.database}: ${pass.storm.logins} logins during the storm (median ${pass.storm.loginP50.toFixed(0)} ms); ` +
        `server RSS ${pass.memory.rssMB.toFixed(0)} MB at the end, peak ${pass.memory.peakMB.toFixed(0)} MB; ` +
        `cold start to /readyz ${pass.coldStartMs.toFixed(0)} ms; a single-row read ${pass.micro.rawMicros.toFixed(1)} µs raw, ` +
        `${pass.micro.layerMicros.toFixed(1)} µs through @tessera/db`,
    );
  }
  console.log(`\nMetrics: one request-duration observation costs ${(await metricsMicros()).toFixed(2)} µs (in-process, the front door makes one per request).`);
  console.log(`\nTotal time: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (args.json) writeFileSync(args.json, JSON.stringify({ floor, passes }, null, 2));
  const failed = [...(floor ? [floor.getData, floor.bare] : []), ...passes.flatMap((pass) => [...pass.scenarios, ...(pass.storm ? [pass.storm.calm, pass.storm.reads] : []), ...(pass.large ? [pass.large.reads] : [])])].some((r) => r.failures > 0);
  if (failed) {
    console.error("Some requests failed (non-2xx or connection errors): the numbers above are not valid.");
    process.exitCode = 1;
  }
}

await main();
