import express, { type RequestHandler } from "express";
import { sendError } from "./send.ts";

const parseJson = express.json({
  limit: "1mb",
  strict: false,
  type: () => true,
  // The bytes as they came, before parsing: a webhook's signature is over them (request-context.ts hands them on).
  verify: (_req, res, raw) => void ((res as unknown as { locals: Record<string, unknown> }).locals.rawBody = raw),
});

const isPlainObject = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);

// No route takes input nested this deep; deeper bodies are refused before anything walks them
// recursively (the OpenAPI adapter re-serialises the body, which overflows the stack near 5,000 levels).
const MAX_DEPTH = 64;

/** Nesting depth of parsed JSON, measured without recursion. */
function exceedsDepth(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== "object" || current === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Owns REST request bodies: any Content-Type is read as JSON (callers such as `curl -d` send form
 * types), oversize bodies are refused at once with 413, and a body that is not a JSON object is
 * noted for the procedure, which reports it after authentication (API.md: routing, auth, validation).
 */
export const jsonBody: RequestHandler = (req, res, next) => {
  parseJson(req, res, (error?: { type?: string }) => {
    if (error?.type === "entity.too.large") {
      sendError(res, "PAYLOAD_TOO_LARGE", "Request body exceeds the 1 MiB limit.");
      return;
    }
    if (error) {
      res.locals.bodyProblem = "Request body is not valid JSON.";
      req.body = {};
    } else if (req.body === undefined) {
      req.body = {};
    } else if (!isPlainObject(req.body)) {
      res.locals.bodyProblem = "Request body must be a JSON object.";
      req.body = {};
    } else if (exceedsDepth(req.body, MAX_DEPTH)) {
      res.locals.bodyProblem = `Request body is nested more than ${MAX_DEPTH} levels deep.`;
      req.body = {};
    }
    // The adapter reads req.body only for JSON requests.
    req.headers["content-type"] = "application/json";
    next();
  });
};
