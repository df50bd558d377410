import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { createServices, type ServiceOverrides, type Services } from "@tessera/api";
import type { Config } from "@tessera/config";
import { createDatabase, type Database } from "@tessera/db";
import { pino, type Logger } from "pino";
import { frontDoor } from "./http/front-door.ts";
import { createMetrics } from "./http/metrics.ts";
import { answerClientError } from "./http/send.ts";
import { isUnreachable } from "./startup-errors.ts";

export interface RunningServer {
  server: Server;
  url: string;
  logger: Logger;
  services: Services;
  /**
   * Stops accepting, cuts open event streams (subscriptions), lets in-flight requests finish (up to the
   * shutdown timeout), then closes Redis (when configured) and the DB.
   */
  close(): Promise<void>;
}

const isEventStream = (res: ServerResponse) => /^text\/event-stream\b/i.test(String(res.getHeader("content-type") ?? ""));

/**
 * What server.close() would otherwise wait for until the forced close, though nothing is in flight there:
 * - event streams (subscriptions), which end only when their client leaves. Cutting one makes its client
 *   reconnect (to another process, behind a load balancer), and tRPC aborts the subscription's signal,
 *   which releases it;
 * - connections that have not sent a byte: a client's spare sockets, which closeIdleConnections() leaves
 *   open (clients open them while another connection is busy, e.g. with a stream);
 * - busy keep-alive connections: a client that keeps sending on one is never idle, so once shutdown has begun
 *   every answer carries `Connection: close` and its connection ends with it.
 */
function lingering(server: Server) {
  const responses = new Set<ServerResponse>();
  const unused = new Set<Socket>();
  let draining = false;
  const closeAfter = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader("Connection", "close");
  };
  server.on("connection", (socket: Socket) => {
    unused.add(socket);
    socket.once("close", () => unused.delete(socket));
  });
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    unused.delete(req.socket);
    responses.add(res);
    res.once("close", () => responses.delete(res));
    if (draining) closeAfter(res);
  });
  return {
    drain() {
      draining = true;
      for (const res of responses) closeAfter(res);
    },
    cutStreams() {
      for (const res of responses) if (isEventStream(res)) res.destroy();
    },
    /** Event streams open now (for the metrics; counted when scraped, not kept up to date per request). */
    openStreams() {
      let count = 0;
      for (const res of responses) if (isEventStream(res)) count++;
      return count;
    },
    closeUnused() {
      for (const socket of unused) if (socket.bytesRead === 0) socket.destroy();
    },
  };
}

/**
 * Log lines go to stdout without blocking: each request's line is written as soon as the previous write is done,
 * so under load many lines share one write instead of one system call each. What is still buffered when the
 * process exits is flushed then (pino does that for its own destinations).
 */
const defaultLogger = (config: Config) => pino({ level: config.logLevel }, pino.destination({ dest: 1, sync: false }));

/**
 * The database, migrated: retried with backoff (0.25 s doubling to 5 s) while it does not answer at all, for up to
 * DATABASE_CONNECT_TIMEOUT_SECONDS (a database that starts beside the server); any other failure at once.
 */
async function connectDatabase(config: Config, logger: Logger): Promise<Database> {
  const deadline = Date.now() + config.databaseConnectTimeoutSeconds * 1000;
  for (let wait = 250; ; wait = Math.min(wait * 2, 5000)) {
    try {
      return await createDatabase({
        url: config.databaseUrl,
        poolMax: config.databasePoolMax,
        onIdleError: (error) => logger.warn({ err: error }, "PostgreSQL ended an idle connection; it will be replaced"),
      });
    } catch (error) {
      if (!isUnreachable(error) || Date.now() + wait > deadline) throw error;
      logger.warn({ err: error, retryInMs: wait }, "the database does not answer yet; retrying");
      await sleep(wait);
    }
  }
}

/** Builds everything from a config and listens; used by main.ts and by the tests (which may swap a service). */
export async function startServer(
  config: Config,
  logger: Logger = defaultLogger(config),
  overrides: Omit<ServiceOverrides, "logger"> = {},
): Promise<RunningServer> {
  const db = await connectDatabase(config, logger);
  // Read when /metrics is scraped: the open streams are known once the server exists (below).
  const metrics = createMetrics({ openStreams: () => connections.openStreams(), poolStats: () => db.poolStats() });
  const services = createServices(config, db, { metrics: metrics.domain, ...overrides, logger });
  if (config.redisUrl) {
    // Wait for the first connection so that the first requests already share state; a Redis that is down
    // does not stop the start: /readyz says 503 until it answers, and the services degrade meanwhile.
    await services.ready().catch((error: unknown) => logger.warn({ err: error }, "Redis is not reachable yet; starting anyway"));
  }
  // The timeouts below are enforced when node checks its connections: every second (its default is 30 s).
  const server = createServer({ connectionsCheckingInterval: Math.min(1000, config.http.headersTimeoutMs) }, frontDoor({
    services,
    logger,
    metrics,
    metricsToken: config.metricsToken,
    trustProxy: config.trustProxy,
    corsOrigins: config.corsOrigins,
  }));
  server.on("clientError", answerClientError);
  // Slow or idle clients hold a connection no longer than these (node's defaults are minutes, or none for the cap).
  server.headersTimeout = config.http.headersTimeoutMs;
  server.requestTimeout = config.http.requestTimeoutMs;
  server.keepAliveTimeout = config.http.keepAliveTimeoutMs;
  server.maxConnections = config.http.maxConnections;
  const connections = lingering(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, resolve);
  }).catch(async (error: unknown) => {
    // Open Redis connections would keep a process that cannot listen alive.
    await services.close();
    await db.close();
    throw error;
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      connections.drain();
      connections.closeUnused();
      connections.cutStreams();
      // A subscription still being authenticated now starts streaming a moment later: keep cutting.
      const sweep = setInterval(connections.cutStreams, 100);
      const force = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      await closed;
      clearInterval(sweep);
      clearTimeout(force);
      // After the HTTP server: the last requests and the subscriptions cut above may still publish or unsubscribe.
      await services.close();
      await db.close();
    })());

  return { server, url: `http://${host}:${port}`, logger, services, close };
}
