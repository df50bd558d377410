/** The printed table and the issue's targets, computed from one run's results. */
import type { Result } from "./load.ts";

export interface PassResults {
  database: "SQLite" | "PostgreSQL";
  scenarios: Result[];
  /** GET data under the login storm, with how many logins completed meanwhile and their median time. */
  storm?: { calm: Result; reads: Result; logins: number; loginP50: number };
  /** GET data with the table grown to `rows` rows. */
  large?: { reads: Result; rows: number };
  /** The server process at the end of the pass. */
  memory: { rssMB: number; peakMB: number };
}

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : "-");

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(" | ")} |`;
  const rule = `|${widths.map((width, i) => (i === 0 ? `:${"-".repeat(width + 1)}` : `${"-".repeat(width + 1)}:`)).join("|")}|`;
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join("\n");
}

export function resultsTable(floor: Result | undefined, passes: PassResults[]): string {
  const header = ["scenario", "req/s", "items/s", "p50 ms", "p99 ms", "vs floor", "CPU ms/req", "load", "failures"];
  const row = (label: string, result: Result) => [
    label, fixed(result.rps), fixed(result.itemsPerSecond), fixed(result.p50, 2), fixed(result.p99, 2),
    floor ? `${fixed((100 * result.rps) / floor.rps)}%` : "-", fixed(result.cpuMsPerRequest, 3), fixed(result.loadAverage, 1),
    String(result.failures),
  ];
  const rows = [header, ...(floor ? [row("floor: node:http + jwt + better-sqlite3, GET data", floor)] : [])];
  for (const pass of passes) {
    for (const result of pass.scenarios) rows.push(row(`${pass.database}: ${result.name}`, result));
    for (const result of [pass.storm?.calm, pass.storm?.reads, pass.large?.reads]) if (result) rows.push(row(`${pass.database}: ${result.name}`, result));
  }
  return table(rows);
}

const find = (pass: PassResults, name: string) => pass.scenarios.find((result) => result.name === name);

/** One line per target and database: the measured value, the target, met or missed. */
export function targets(floor: Result | undefined, passes: PassResults[], names: { getData: string; trpcBatch: string }): string {
  const rows = [["target", "database", "measured", "wanted", "met"]];
  const add = (target: string, pass: PassResults, measured: number, wanted: string, ok: boolean, digits = 2) =>
    rows.push([target, pass.database, fixed(measured, digits), wanted, ok ? "yes" : "NO"]);
  for (const pass of passes) {
    const get = find(pass, names.getData);
    const batch = find(pass, names.trpcBatch);
    if (!get || !batch || !pass.storm || !pass.large) continue;
    if (floor) add("REST GET data req/s ÷ floor req/s", pass, get.rps / floor.rps, "≥ 0.60", get.rps / floor.rps >= 0.6);
    add("REST GET data p99 (ms)", pass, get.p99, "≤ 5", get.p99 <= 5);
    add("tRPC batch of 10 items/s ÷ REST GET items/s", pass, batch.itemsPerSecond / get.itemsPerSecond, "≥ 4", batch.itemsPerSecond / get.itemsPerSecond >= 4);
    add(`GET data p99 during 8 logins (ms; ${fixed(pass.storm.calm.p99, 2)} without)`, pass, pass.storm.reads.p99, "< 20", pass.storm.reads.p99 < 20);
    add(`GET data p50 ${pass.large.rows.toLocaleString("en")} keys ÷ 1k keys`, pass, pass.large.reads.p50 / get.p50, "≤ 1.30", pass.large.reads.p50 / get.p50 <= 1.3);
    add("server RSS at the end (MB)", pass, pass.memory.rssMB, "< 200", pass.memory.rssMB < 200, 0);
  }
  return table(rows);
}
