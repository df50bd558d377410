import { type Response, sendError, sendJson } from "./send.ts";

export const HEALTH_PATHS = new Set(["/healthz", "/readyz"]);

/**
 * `/healthz`: the process is up. `/readyz`: `isReady` (the database, and Redis when configured) answers.
 * GET and HEAD; any other method is 405 with Allow, as on every known path.
 */
export function health(isReady: () => Promise<void>) {
  return async (method: string, path: string, res: Response): Promise<void> => {
    if (method !== "GET" && method !== "HEAD") return sendError(res, "METHOD_NOT_ALLOWED", `Method ${method} is not allowed here.`, { Allow: "GET, HEAD" });
    if (path === "/healthz") return sendJson(res, 200, { status: "success" });
    try {
      await isReady();
      sendJson(res, 200, { status: "success" });
    } catch (error) {
      // "the database does not answer", "Redis does not answer" (services.ready names the dependency).
      const which = error instanceof Error ? error.message : "a backing service does not answer";
      sendError(res, "NOT_READY", `Not ready: ${which}.`);
    }
  };
}
