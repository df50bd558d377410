import { Redis, type RedisOptions } from "ioredis";

/** The little of a pino logger the services need; pino's Logger fits it. */
export interface ServiceLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export const consoleLogger: ServiceLogger = {
  info: (details, message) => console.info(message, details),
  warn: (details, message) => console.warn(message, details),
  error: (details, message) => console.error(message, details),
};

export interface RedisOptionsForServices {
  url: string;
  /**
   * Put in front of every key and every channel. Every process of one deployment must use the same one (that
   * is what makes the state shared); tests give each server a random one so that they share nothing.
   */
  keyPrefix: string;
  logger?: ServiceLogger;
  /** How long one connection attempt may take; short in tests of an unreachable Redis. */
  connectTimeoutMs?: number;
  /** How long /readyz waits for PING (and, at start, for the first connection attempt). */
  readyTimeoutMs?: number;
}

export interface RedisConnections {
  keyPrefix: string;
  /**
   * Commands (counters, PUBLISH). ioredis puts `keyPrefix` in front of keys itself, but not of pub/sub
   * channels: those are prefixed by their user (see redis-event-bus.ts).
   */
  commands: Redis;
  /** A connection in subscriber mode can run nothing but (UN)SUBSCRIBE and PING, so it is a second one. */
  subscriber: Redis;
  /** Resolves when both connections are up and Redis answers PING; rejects quickly otherwise. */
  ready(): Promise<void>;
  /** Closes both connections (QUIT when connected, so pending replies arrive; dropped otherwise). */
  quit(): Promise<void>;
}

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

/** Waits for a connection still making its first attempt; a connection that was up and dropped is not waited for. */
function connected(client: Redis, name: string, ms: number): Promise<void> {
  if (client.status === "ready") return Promise.resolve();
  if (!["wait", "connecting", "connect"].includes(client.status)) {
    return Promise.reject(new Error(`Redis ${name} connection is ${client.status}`));
  }
  return withTimeout(
    new Promise<void>((resolve, reject) => {
      const onReady = () => settle(resolve);
      const onError = (error: Error) => settle(() => reject(error));
      const onEnd = () => settle(() => reject(new Error(`Redis ${name} connection ended`)));
      const settle = (then: () => void) => {
        client.off("ready", onReady).off("error", onError).off("end", onEnd);
        then();
      };
      client.once("ready", onReady).once("error", onError).once("end", onEnd);
    }),
    ms,
    `Redis ${name} connection`,
  );
}

/** Logs the first error of an outage and the recovery, not every failed reconnection attempt (one every 2 s). */
function watch(client: Redis, name: string, logger: ServiceLogger) {
  let healthy = true;
  // An "error" listener is also what keeps ioredis from reporting the error as unhandled.
  client.on("error", (error: Error) => {
    if (healthy) logger.error({ err: error, connection: name }, "Redis connection failed; retrying");
    healthy = false;
  });
  client.on("ready", () => {
    if (!healthy) logger.info({ connection: name }, "Redis connection is back");
    healthy = true;
  });
}

export function createRedisConnections(options: RedisOptionsForServices): RedisConnections {
  const logger = options.logger ?? consoleLogger;
  const readyTimeoutMs = options.readyTimeoutMs ?? 2000;
  const shared: RedisOptions = {
    connectTimeout: options.connectTimeoutMs ?? 5000,
    // Reconnect for ever (the default backoff, at most every 2 s): Redis coming back must heal the process.
    retryStrategy: (attempt) => Math.min(attempt * 50, 2000),
  };
  const commands = new Redis(options.url, {
    ...shared,
    keyPrefix: options.keyPrefix,
    // A command that cannot be sent waits for at most one reconnection attempt, then fails: a login or a
    // task write must not hang for the whole outage. (Offline queueing stays on, so commands issued while
    // the first connection is being made simply wait for it.)
    maxRetriesPerRequest: 1,
  });
  const subscriber = new Redis(options.url, {
    ...shared,
    // SUBSCRIBE issued during an outage waits for Redis to return, and ioredis re-subscribes every channel
    // after a reconnection, so a live subscription survives a Redis restart (missing what was published
    // meanwhile, which subscribers tolerate: no replay, they refetch on reconnecting).
    maxRetriesPerRequest: null,
  });
  watch(commands, "commands", logger);
  watch(subscriber, "subscriber", logger);

  const close = async (client: Redis) => {
    if (client.status === "end") return;
    // Between attempts there is no socket: disconnect() just cancels the next attempt, and no "end" follows.
    const hasSocket = client.status !== "reconnecting" && client.status !== "wait";
    const ended = new Promise((resolve) => client.once("end", resolve));
    // QUIT lets replies still on their way arrive; a connection that is not up has nothing to wait for.
    if (client.status === "ready") await withTimeout(client.quit(), readyTimeoutMs, "Redis QUIT").catch(() => client.disconnect());
    else client.disconnect();
    if (hasSocket) await withTimeout(ended, readyTimeoutMs, "Redis connection end").catch(() => undefined);
  };

  return {
    keyPrefix: options.keyPrefix,
    commands,
    subscriber,
    async ready() {
      await Promise.all([connected(commands, "commands", readyTimeoutMs), connected(subscriber, "subscriber", readyTimeoutMs)]);
      // PING is allowed on a subscriber connection too; it proves the server answers, not just the socket.
      await withTimeout(Promise.all([commands.ping(), subscriber.ping()]), readyTimeoutMs, "Redis PING");
    },
    async quit() {
      await Promise.all([close(commands), close(subscriber)]);
    },
  };
}
