import { appRouter, type Services } from "@tessera/api";
import { type AnyProcedure, TRPCError } from "@trpc/server";
import {
  getErrorShape, getHTTPStatusCode, getTRPCErrorFromUnknown, isAsyncIterable, isObject, isPromise,
} from "@trpc/server/unstable-core-do-not-import";
import type { Logger } from "pino";
import { MAX_JSON_BODY } from "../body.ts";
import { contextFor, type RequestFacts } from "../request-context.ts";
import { type Request, type Response, writeJson } from "../send.ts";
import { logInternal, MAX_BATCH_SIZE, trpcResponseHeaders } from "./adapter.ts";
import getRawBody from "raw-body";

/**
 * Plain tRPC queries (GET) and mutations (POST with a JSON body), one call or a batch: answered here by calling the
 * procedures directly, without tRPC's fetch-API plumbing (a web Request, AbortSignal.any and web streams per
 * request cost more than the calls themselves). The answers are tRPC's, byte for byte: the same JSON-RPC shapes,
 * error shapes (tRPC's getErrorShape with our formatter), HTTP statuses (tRPC's getHTTPStatusCode) and headers —
 * fast-path.test.ts sends the same requests here and to tRPC's adapter and compares. Anything else returns false
 * unanswered (and unread, or with the body it read handed on), for tRPC's adapter: subscriptions, streaming links,
 * unknown procedures, wrong methods, oversized batches, bodies or inputs that do not parse.
 */

const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;
const config = appRouter._def._config;
const VARY = "trpc-accept, accept";

const mediaType = (value: string | undefined) => value?.toLowerCase().split(";", 1)[0]!.trim();

/** tRPC's own test: data it would have to stream cannot go in a plain answer. */
const isDataStream = (value: unknown) =>
  isObject(value) && (isAsyncIterable(value) || Object.values(value).some(isPromise) || Object.values(value).some(isAsyncIterable));

/** What tRPC reads of a request before calling anything; undefined when the adapter must answer it. */
function plainCalls(req: Request, url: URL, path: string, type: "query" | "mutation"): string[] | undefined {
  if (req.headers["trpc-accept"] !== undefined) return undefined;
  if (req.headers.accept?.split(",").some((value) => value.trim() === "application/jsonl")) return undefined;
  const contentType = mediaType(req.headers["content-type"]);
  if (type === "mutation" ? contentType !== "application/json" : contentType !== undefined && contentType !== "application/json") return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  const isBatch = url.searchParams.get("batch") === "1";
  const paths = isBatch ? decoded.split(",") : [decoded];
  if (paths.length > MAX_BATCH_SIZE) return undefined;
  for (const name of paths) {
    if (!Object.hasOwn(procedures, name) || procedures[name]!._def.type !== type) return undefined;
  }
  return paths;
}

/** The calls' inputs, by index, as tRPC reads them; undefined when they do not parse (tRPC's adapter answers that). */
function inputsOf(text: string | null, isBatch: boolean): Record<number, unknown> | undefined {
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isBatch) return { 0: parsed };
  return isObject(parsed) ? (parsed as Record<number, unknown>) : undefined;
}

/** Reads a mutation's body when its size is declared and within the limit; undefined leaves the body unread. */
async function declaredBody(req: Request): Promise<string | undefined> {
  const length = Number(req.headers["content-length"]);
  if (!Number.isInteger(length) || length > MAX_JSON_BODY || req.headers["content-encoding"] !== undefined) return undefined;
  return (await getRawBody(req, { length, limit: MAX_JSON_BODY })).toString("utf8");
}

type Outcome = { ok: true; data: unknown } | { ok: false; error: TRPCError };

export function trpcFastPath(services: Services, logger: Logger) {
  /**
   * Answers the request and resolves true, or resolves false without answering. `body` is set when the request's
   * body was read here: the adapter then takes it from `req.body` (tRPC's node adapter reads that first).
   */
  return async (req: Request, res: Response, facts: RequestFacts, path: string, url: URL): Promise<boolean> => {
    const type = req.method === "GET" ? "query" : req.method === "POST" ? "mutation" : undefined;
    if (type === undefined) return false;
    const paths = plainCalls(req, url, path, type);
    if (!paths) return false;
    const isBatch = url.searchParams.get("batch") === "1";
    let text: string | null;
    if (type === "query") {
      text = url.searchParams.get("input");
    } else {
      const body = await declaredBody(req);
      if (body === undefined) return false;
      text = body;
    }
    const inputs = inputsOf(text, isBatch);
    if (!inputs) {
      if (type === "mutation") (req as Request & { body?: string }).body = text ?? "";
      return false;
    }

    const ctx = contextFor(services, req, facts);
    const outcomes = await Promise.all(
      paths.map(async (name, index): Promise<Outcome> => {
        const procedure = procedures[name]!;
        try {
          const data: unknown = await procedure({ path: name, type, ctx, getRawInput: async () => inputs[index], signal: undefined, batchIndex: index });
          if (!isDataStream(data)) return { ok: true, data };
          // Not logged: tRPC's adapter reports this one without calling onError either.
          const message = "Cannot use stream-like response in non-streaming request - use httpBatchStreamLink";
          return { ok: false, error: new TRPCError({ code: "UNSUPPORTED_MEDIA_TYPE", message }) };
        } catch (cause) {
          const error = getTRPCErrorFromUnknown(cause);
          logInternal(logger, error, facts.requestId, name);
          return { ok: false, error };
        }
      }),
    );
    const answers = outcomes.map((outcome, index) =>
      outcome.ok
        ? { result: { data: outcome.data } }
        : { error: getErrorShape({ config, ctx, error: outcome.error, input: inputs[index], path: paths[index], type }) },
    );
    const errors = outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.error]));
    const status = getHTTPStatusCode(answers, outcomes.map((outcome) => (outcome.ok ? null : outcome.error)) as never);
    res.setHeader("Vary", VARY);
    writeJson(res, status, JSON.stringify(isBatch ? answers : answers[0]), trpcResponseHeaders(errors, false));
    return true;
  };
}
