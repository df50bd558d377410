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

const running = await startServer(config);
running.logger.info({ url: running.url, env: config.env }, "Tessera is listening");

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, async () => {
    running.logger.info({ signal }, "shutting down");
    await running.close();
    process.exit(0);
  });
}
