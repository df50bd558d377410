import type { Config } from "@tessera/config";

type SystemError = NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string };

const codeOf = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null ? ((error as { code?: unknown }).code as string | undefined) : undefined;

/** The error or any of its causes that carries a code. */
function rootCause(error: unknown): SystemError | undefined {
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth++) {
    if (codeOf(current) !== undefined) return current as SystemError;
    current = (current as { cause?: unknown } | null)?.cause;
  }
  return undefined;
}

const safeUrl = (url: string) => url.replace(/\/\/[^@/]*@/, "//***@");

/** Connection-level failures worth waiting out at start (the database is starting, the network not up yet). */
export function isUnreachable(error: unknown): boolean {
  return ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ECONNRESET", "57P03"].includes(
    rootCause(error)?.code ?? "",
  ) || /timeout exceeded when trying to connect|Connection terminated/i.test(String((error as Error)?.message));
}

/**
 * One line for an operator when the server cannot start for a reason of its environment (a port in use, a bad
 * HOST, a database that does not answer or does not exist, a data folder it cannot write), or undefined for
 * anything else (a bug: that one keeps its stack trace).
 */
export function startupProblem(error: unknown, config: Config): string | undefined {
  const cause = rootCause(error);
  const code = cause?.code;
  const database = config.databaseUrl.startsWith("file:") ? `the SQLite database ${config.databaseUrl.slice(5)}` : `the PostgreSQL database at ${safeUrl(config.databaseUrl)}`;
  switch (code) {
    case "EADDRINUSE":
      return `Cannot listen on ${config.host}:${config.port}: the port is in use. Stop the other process or set PORT.`;
    case "EADDRNOTAVAIL":
    case "EAI_FAIL":
      return `Cannot listen on HOST ${config.host}: it is not an address of this machine. Set HOST (e.g. 127.0.0.1 or 0.0.0.0).`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return cause?.syscall === "getaddrinfo" && cause.hostname === config.host
        ? `Cannot listen on HOST ${config.host}: the name does not resolve. Set HOST (e.g. 127.0.0.1 or 0.0.0.0).`
        : `Cannot reach ${database}: its host name does not resolve (${code}).`;
    case "3D000":
      return `Cannot use ${database}: the database does not exist. Create it (CREATE DATABASE) or fix DATABASE_URL.`;
    case "28P01":
    case "28000":
      return `Cannot use ${database}: the server refused the credentials (${code}). Fix DATABASE_URL.`;
    case "EACCES":
    case "EPERM":
    case "EROFS":
    case "ENOTDIR":
    case "EISDIR":
    case "SQLITE_CANTOPEN":
    case "SQLITE_READONLY":
      if (code === "EACCES" && cause?.syscall === "listen") return `Not allowed to listen on port ${config.port} (below 1024 needs privileges). Set PORT.`;
      return `Cannot use DATA_DIR ${config.dataDir}: ${code}${cause?.path ? ` on ${cause.path}` : ""}. Make it a folder this process can write, or set DATA_DIR.`;
  }
  if (isUnreachable(error)) {
    return `Cannot reach ${database} (${code ?? "no answer"}) within ${config.databaseConnectTimeoutSeconds} s (DATABASE_CONNECT_TIMEOUT_SECONDS).`;
  }
  return undefined;
}
