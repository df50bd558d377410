/** One load scenario with autocannon: fixed connections and duration, latencies kept at sub-millisecond precision. */
import { loadavg } from "node:os";
import autocannon from "autocannon";

export interface Request {
  method: "GET" | "POST" | "PUT";
  path: string;
  body?: string;
}

export interface Scenario {
  name: string;
  url: string;
  headers?: Record<string, string>;
  /** Called for every request, so that keys vary across the seeded set. */
  next: () => Request;
  /** Items answered per request (a tRPC batch answers several). */
  itemsPerRequest?: number;
  /** The server's CPU time so far, in ms: gives CPU per request, which other load on the machine barely moves. */
  serverCpuMs?: () => number;
}

export interface Result {
  name: string;
  requests: number;
  rps: number;
  itemsPerSecond: number;
  p50: number;
  p99: number;
  /** Server CPU time (all threads) per answered request, in ms. */
  cpuMsPerRequest: number;
  /** The machine's 1-minute load average when the run ended (2 cores: above 2 means processes were waiting). */
  loadAverage: number;
  /** Answers that were not 2xx, and connection errors or timeouts: any of these makes the run invalid. */
  failures: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function run(scenario: Scenario, connections: number, seconds: number, record: boolean, rate?: number) {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: scenario.url,
        connections,
        duration: seconds,
        ...(rate !== undefined && { overallRate: rate }),
        headers: { "content-type": "application/json", ...scenario.headers },
        // autocannon reuses a request object it was given; setupRequest picks a fresh one every time.
        requests: [{ setupRequest: (request) => ({ ...request, ...scenario.next() }) }],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode < 200 || statusCode > 299) failures++;
      else if (record) latencies.push(responseTime);
    });
    instance.on("reqError", () => failures++);
  });
  const elapsed = (performance.now() - started) / 1000;
  return { latencies, failures, elapsed };
}

/** A short warm-up (JIT, caches, connections), then the measured run. */
export async function measure(
  scenario: Scenario,
  options: { connections: number; seconds: number; warmupSeconds: number; /** requests per second in all; as fast as possible when absent */ rate?: number },
): Promise<Result> {
  if (options.warmupSeconds > 0) await run(scenario, options.connections, options.warmupSeconds, false, options.rate);
  const cpuBefore = scenario.serverCpuMs?.() ?? NaN;
  const { latencies, failures, elapsed } = await run(scenario, options.connections, options.seconds, true, options.rate);
  const cpuMs = (scenario.serverCpuMs?.() ?? NaN) - cpuBefore;
  const sorted = Float64Array.from(latencies).sort();
  const rps = latencies.length / elapsed;
  return {
    name: scenario.name,
    requests: latencies.length,
    rps,
    itemsPerSecond: rps * (scenario.itemsPerRequest ?? 1),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    cpuMsPerRequest: cpuMs / latencies.length,
    loadAverage: loadavg()[0]!,
    failures,
  };
}
