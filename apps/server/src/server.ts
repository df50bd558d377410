import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createServices } from "@tessera/api";
import type { Config } from "@tessera/config";
import { createDatabase } from "@tessera/db";
import { pino, type Logger } from "pino";
import { createApp } from "./app.ts";

export interface RunningServer {
  server: Server;
  url: string;
  logger: Logger;
  /** Stops accepting, lets in-flight requests finish (up to the shutdown timeout), closes the DB. */
  close(): Promise<void>;
}

/** Builds everything from a config and listens; used by main.ts and by the tests. */
export async function startServer(config: Config, logger: Logger = pino({ level: config.logLevel })): Promise<RunningServer> {
  const db = await createDatabase({ url: config.databaseUrl });
  const services = createServices(config, db);
  const server = createServer(createApp({ services, logger, trustProxy: config.trustProxy }));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      await closed;
      clearTimeout(force);
      await db.close();
    })());

  return { server, url: `http://${host}:${port}`, logger, close };
}
