import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { testEnvironment } from "@tessera/api/testing";

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

export interface ProcessEnvironment {
  /** What every process gets: DATA_DIR, DATABASE_URL, a JWT secret shared by all, fast hashing, and the caller's. */
  env: Record<string, string>;
  /** The processes started so far, in order. */
  servers: ServerProcess[];
  /** Starts one more process (spawnServer) over the environment, with `extra` variables last. */
  start(extra?: Record<string, string>): Promise<ServerProcess>;
  /** Kills (SIGKILL) every process still running, waits for their exits, then drops the database and deletes the folder. */
  dispose(): Promise<void>;
}

/**
 * A fresh database and folder (the API kit's testEnvironment) for real server processes to share, as replicas, or
 * one after another across a crash: same database, same JWT secret.
 */
export async function processEnvironment(env: Record<string, string> = {}): Promise<ProcessEnvironment> {
  const { config, dispose } = await testEnvironment();
  const shared = {
    DATA_DIR: config.dataDir, DATABASE_URL: config.databaseUrl, JWT_SECRET: randomBytes(32).toString("base64url"), BCRYPT_COST: "4",
    // Tests register many users from one address.
    REGISTER_MAX_PER_ADDRESS: "100000",
    ...env,
  };
  const servers: ServerProcess[] = [];
  return {
    env: shared,
    servers,
    async start(extra = {}) {
      const server = await spawnServer({ ...shared, ...extra });
      servers.push(server);
      return server;
    },
    async dispose() {
      for (const server of servers.splice(0)) {
        if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
        await server.exited;
      }
      await dispose();
    },
  };
}
