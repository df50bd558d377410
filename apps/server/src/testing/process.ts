import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the real entry point (`src/main.ts`) as its own process and resolves once it listens. */
export function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    // Redis keys of its own (when REDIS_URL is set) unless the caller shares a prefix between processes.
    env: { ...process.env, ENV: "test", PORT: "0", LOG_LEVEL: "info", REDIS_KEY_PREFIX: `tessera-test:${randomUUID()}:`, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /"url":"(http:[^"]+)"/.exec(output)?.[1];
      if (!url) return;
      child.stdout!.off("data", onData);
      child.stdout!.resume();
      resolve({ url, child, exited, stop: () => (child.kill("SIGTERM"), exited) });
    };
    child.stdout!.on("data", onData);
    void exited.then((code) => reject(new Error(`server exited early with ${code}: ${output}`)));
  });
}
