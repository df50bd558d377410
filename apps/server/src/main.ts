import { ConfigError, loadConfig } from "@tessera/config";
import { startServer } from "./server.ts";

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

// Handlers first: a signal that arrives while the server is still starting waits for it, then stops it.
const starting = startServer(config);
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
