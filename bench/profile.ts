/**
 * Summarises a V8 .cpuprofile (from `npm run bench -- --cpu-prof`): self time by package and the functions
 * with the most self time. `tsx bench/profile.ts FILE [--top=N]`.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

/** node_modules/<package> (scoped too), a workspace folder, node's own code, or the engine. */
function owner(url: string): string {
  if (url === "") return "(engine: GC, native, idle)";
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1]!;
  if (url.startsWith("node:")) return "node (built-in modules)";
  const workspace = /\/(apps|packages)\/([^/]+)\//.exec(url);
  return workspace ? `${workspace[1]}/${workspace[2]}` : url;
}

const shortUrl = (url: string) => url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*?\/(apps|packages|bench)\//, "$1/");

export function summarise(profile: Profile, top: number): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let total = 0;
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, micros] of selfTime) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === "(idle)") continue;
    total += micros;
    const where = owner(url);
    byOwner.set(where, (byOwner.get(where) ?? 0) + micros);
    const name = `${functionName || "(anonymous)"}  ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ""}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  }
  // Total (inclusive) time: a sample counts once for every distinct function on its stack.
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, number>();
  for (const [id, micros] of selfTime) {
    if (byId.get(id)!.callFrame.functionName === "(idle)") continue;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
      if (!url) continue;
      const name = `${functionName || "(anonymous)"}  ${shortUrl(url)}:${lineNumber + 1}`;
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
    }
  }
  const lines = (map: Map<string, number>) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, micros]) => `${((100 * micros) / total).toFixed(1).padStart(5)}%  ${name}`);
  return [
    `busy: ${(total / 1e6).toFixed(1)} s of CPU (idle excluded)`,
    "", "self time by owner:", ...lines(byOwner),
    "", "self time by function:", ...lines(byFunction),
    "", "total time (self and callees) by function:", ...lines(inclusive),
  ].join("\n");
}

if (process.argv[1]?.endsWith("profile.ts")) {
  const { values, positionals } = parseArgs({ options: { top: { type: "string", default: "25" } }, allowPositionals: true });
  for (const file of positionals) {
    console.log(`== ${file}`);
    console.log(summarise(JSON.parse(readFileSync(file, "utf8")) as Profile, Number(values.top)));
  }
}
