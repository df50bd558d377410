/** Starting and stopping the processes under test: the real Tessera entry point and the floor server. */
import { type ChildProcess, spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
/** The production bundle, as `npm start` runs it (bench/run.ts builds it first). */
const MAIN = path.join(ROOT, "apps/server/dist/main.js");
const FLOOR = path.join(ROOT, "bench/floor.ts");

export interface Process {
  url: string;
  pid: number;
  /** Resident set size now, and its peak (VmHWM), in MB (10^6 bytes), from /proc. */
  memory(): { rssMB: number; peakMB: number };
  /** CPU time the process has used so far (all its threads, user + system), in ms. */
  cpuMs(): number;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Settings the bench's own environment may carry (say, a test run's DATABASE_URL): never inherited. */
const INHERITED = (name: string) =>
  !/^(ENV|NODE_ENV|NODE_OPTIONS|HOST|PORT|DATA_DIR|DATABASE_.*|REDIS_.*|JWT_SECRET|.*_TTL_SECONDS|BCRYPT_COST|LOGIN_.*|CORS_ORIGINS|TRUST_PROXY|LOG_LEVEL|SHUTDOWN_TIMEOUT_MS)$/.test(name);

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function memoryOf(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  // /proc's "kB" are KiB.
  const mb = (field: string) => (Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024) / 1e6;
  return { rssMB: mb("VmRSS"), peakMB: mb("VmHWM") };
}

/** utime + stime of /proc/PID/stat, in clock ticks of 10 ms (USER_HZ is 100 on Linux). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function waitUntilAnswering(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url} exited with ${child.exitCode}; see ${logFile}:\n${readFileSync(logFile, "utf8").slice(-2000)}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    // Short: the time to the first 200 is the cold start the bench reports.
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${url} did not answer within 60 s; see ${logFile}`);
}

async function start(script: string, env: Record<string, string>, nodeArgs: string[], logFile: string, probePath: string): Promise<Process & { startedInMs: number }> {
  const port = await freePort();
  // Logs go to a file, as a production process's stdout goes to a collector: not through this process.
  const log = openSync(logFile, "a");
  const started = performance.now();
  // TypeScript (the floor) through tsx; the server is compiled JavaScript already.
  const loader = script.endsWith(".ts") ? ["--import", "tsx"] : [];
  const child = spawn(process.execPath, [...nodeArgs, ...loader, script], {
    cwd: ROOT,
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => INHERITED(name))), ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", log, log],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(url + probePath, child, logFile);
  return {
    startedInMs: performance.now() - started,
    url,
    pid: child.pid!,
    memory: () => memoryOf(child.pid!),
    cpuMs: () => cpuMsOf(child.pid!),
    stop: () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/**
 * The real server (apps/server/dist/main.js, as `npm start` runs it) in production mode, once it answers
 * `/readyz` (with `startedInMs`: from spawn to that answer). `cpuProfileDir` adds node's --cpu-prof: the profile
 * is written there when the process exits.
 */
export function startTessera(env: Record<string, string>, logFile: string, cpuProfileDir?: string) {
  const nodeArgs = cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfileDir}`] : [];
  return start(MAIN, env, nodeArgs, logFile, "/readyz");
}

export function startFloor(env: { FLOOR_DB: string; JWT_SECRET: string }, logFile: string) {
  return start(FLOOR, { ...env, NODE_ENV: "production" }, [], logFile, "/healthz");
}
