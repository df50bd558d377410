import { ConfigError, loadConfig } from "@tessera/config";
import { startServer } from "./server.ts";
import { startupProblem } from "./startup-errors.ts";

/** Stops the start with one line (and exit code 1) for what an operator can fix; anything else keeps its stack. */
function stopWith(error: unknown, problem: string | undefined): never {
  if (problem === undefined) throw error;
  console.error(problem);
  process.exit(1);
}

let config;
try {
  config = loadConfig();
} catch (error) {
  const dataDir = (error as NodeJS.ErrnoException).path;
  // In dev the generated secrets are written into DATA_DIR while the configuration is read.
  const problem = dataDir && `Cannot use DATA_DIR: ${(error as NodeJS.ErrnoException).code} on ${dataDir}. Make it a folder this process can write, or set DATA_DIR.`;
  stopWith(error, error instanceof ConfigError ? error.message : problem || undefined);
}

// Handlers first: a signal that arrives while the server is still starting waits for it, then stops it.
const starting = startServer(config).catch((error: unknown) => stopWith(error, startupProblem(error, config)));
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, async () => {
    const running = await starting;
    running.logger.info({ signal }, "shutting down");
    await running.close();
    process.exit(0);
  });
}

const running = await starting;
running.logger.info({ url: running.url, env: config.env }, "Tessera is listening");
