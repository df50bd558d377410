/** The printed table and the issue's targets, computed from one run's results. */
import type { Result } from "./load.ts";
import type { MicroResult } from "./micro.ts";

/** The floor's two yardsticks, measured on one process: GET data (node:http + JWT + one prepared statement) and bare node:http. */
export interface Floor {
  getData: Result;
  bare: Result;
}

export interface PassResults {
  database: "SQLite" | "PostgreSQL";
  scenarios: Result[];
  /** GET data under the login storm, with how many logins completed meanwhile and their median time. */
  storm?: { calm: Result; reads: Result; logins: number; loginP50: number };
  /** GET data with the table grown to `rows` rows. */
  large?: { reads: Result; rows: number };
  /** The server process at the end of the pass. */
  memory: { rssMB: number; peakMB: number };
  /** From spawning the built server (migrations applied already) to its first 200 on /readyz. */
  coldStartMs: number;
  /** One single-row read: the raw driver and @tessera/db. */
  micro: MicroResult;
}

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : "-");

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(" | ")} |`;
  const rule = `|${widths.map((width, i) => (i === 0 ? `:${"-".repeat(width + 1)}` : `${"-".repeat(width + 1)}:`)).join("|")}|`;
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join("\n");
}

export function resultsTable(floorResults: Floor | undefined, passes: PassResults[]): string {
  const floor = floorResults?.getData;
  const header = ["scenario", "req/s", "items/s", "p50 ms", "p99 ms", "vs floor", "CPU ms/req", "load", "failures"];
  const row = (label: string, result: Result) => [
    label, fixed(result.rps), fixed(result.itemsPerSecond), fixed(result.p50, 2), fixed(result.p99, 2),
    floor ? `${fixed((100 * result.rps) / floor.rps)}%` : "-", fixed(result.cpuMsPerRequest, 3), fixed(result.loadAverage, 1),
    String(result.failures),
  ];
  const rows = [header, ...(floorResults ? [row("floor: node:http + jwt + better-sqlite3, GET data", floorResults.getData), row("bare node:http, GET /healthz", floorResults.bare)] : [])];
  for (const pass of passes) {
    for (const result of pass.scenarios) rows.push(row(`${pass.database}: ${result.name}`, result));
    for (const result of [pass.storm?.calm, pass.storm?.reads, pass.large?.reads]) if (result) rows.push(row(`${pass.database}: ${result.name}`, result));
  }
  return table(rows);
}

const find = (pass: PassResults, name: string) => pass.scenarios.find((result) => result.name === name);

export interface ScenarioNames {
  healthz: string;
  getData: string;
  trpcGet: string;
  trpcBatch: string;
  putData: string;
  listTasks: string;
  createTask: string;
}

/**
 * One line per target and database (issues "The lean request path" and "Data access at driver speed"): the measured
 * value, the target, met or missed. Ratios compare results of this one run, so other load on the machine moves both
 * sides; CPU per request (from /proc) is the figure least moved by it.
 */
export function targets(floor: Floor | undefined, passes: PassResults[], names: ScenarioNames): string {
  const rows = [["target", "database", "measured", "wanted", "met"]];
  const add = (target: string, pass: PassResults, measured: number, wanted: string, ok: boolean, digits = 2) =>
    rows.push([target, pass.database, fixed(measured, digits), wanted, ok ? "yes" : "NO"]);
  for (const pass of passes) {
    const [healthz, get, trpcGet, batch, put, list, create] = [
      names.healthz, names.getData, names.trpcGet, names.trpcBatch, names.putData, names.listTasks, names.createTask,
    ].map((name) => find(pass, name));
    if (floor && get) {
      add("REST GET data CPU/req ÷ floor's", pass, get.cpuMsPerRequest / floor.getData.cpuMsPerRequest, "≤ 2", get.cpuMsPerRequest / floor.getData.cpuMsPerRequest <= 2);
      add("REST GET data req/s ÷ floor's", pass, get.rps / floor.getData.rps, "≥ 0.50", get.rps / floor.getData.rps >= 0.5);
      add("REST GET data p99 ÷ floor's p99", pass, get.p99 / floor.getData.p99, "≤ 2", get.p99 / floor.getData.p99 <= 2);
    }
    if (floor && healthz) add("GET /healthz req/s ÷ bare node:http's", pass, healthz.rps / floor.bare.rps, "≥ 0.50", healthz.rps / floor.bare.rps >= 0.5);
    for (const [label, result] of [["REST PUT data", put], ["REST GET tasks limit=20", list], ["REST POST tasks", create]] as const) {
      if (floor && result) add(`${label} CPU/req ÷ floor's`, pass, result.cpuMsPerRequest / floor.getData.cpuMsPerRequest, "≤ 3", result.cpuMsPerRequest / floor.getData.cpuMsPerRequest <= 3);
    }
    if (get && trpcGet) add("tRPC data.get CPU/req ÷ REST GET data's", pass, trpcGet.cpuMsPerRequest / get.cpuMsPerRequest, "≤ 2", trpcGet.cpuMsPerRequest / get.cpuMsPerRequest <= 2);
    if (get && batch) add("tRPC batch of 10 items/s ÷ REST GET items/s", pass, batch.itemsPerSecond / get.itemsPerSecond, "≥ 4", batch.itemsPerSecond / get.itemsPerSecond >= 4);
    const added = pass.micro.layerMicros - pass.micro.rawMicros;
    add(`single-row read: @tessera/db − raw driver (µs; raw ${fixed(pass.micro.rawMicros, 1)})`, pass, added, pass.database === "SQLite" ? "≤ 20" : "(reported)", pass.database !== "SQLite" || added <= 20, 1);
    add("cold start to /readyz 200 (ms)", pass, pass.coldStartMs, "≤ 1500", pass.coldStartMs <= 1500, 0);
    add("server RSS at the end (MB)", pass, pass.memory.rssMB, "≤ 150", pass.memory.rssMB <= 150, 0);
    if (pass.large && get) {
      add(`GET data p50 ${pass.large.rows.toLocaleString("en")} keys ÷ 1k keys`, pass, pass.large.reads.p50 / get.p50, "≤ 1.30", pass.large.reads.p50 / get.p50 <= 1.3);
    }
  }
  return table(rows);
}
