import express, { type RequestHandler } from "express";
import { sendError } from "./send.ts";

const parseJson = express.json({ limit: "1mb", strict: false, type: () => true });

const isPlainObject = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);

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
    }
    // The adapter reads req.body only for JSON requests.
    req.headers["content-type"] = "application/json";
    next();
  });
};
