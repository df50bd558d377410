import querystring from "node:querystring";
import { AppError, inputValidationError } from "@tessera/api";
import type { JsonBody } from "../body.ts";
import type { RestRoute } from "./routes.ts";

/** Methods whose input is the JSON body; the others (GET, DELETE) take theirs from the query string. */
const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);
export const takesBody = (method: string) => BODY_METHODS.has(method);

const DIGITS = /^\d{1,15}$/;

const BOOLEANS: Readonly<Record<string, boolean>> = { true: true, false: false };

/** A query value as its field's type reads it: plain digits for a number, `true`/`false` for a boolean, else the text. */
function typedValue(route: RestRoute, name: string, value: string | string[] | undefined): unknown {
  if (typeof value !== "string") return value;
  if (route.numericQueryFields.has(name) && DIGITS.test(value)) return Number(value);
  if (route.booleanQueryFields.has(name) && Object.hasOwn(BOOLEANS, value)) return BOOLEANS[value];
  return value;
}

/**
 * The query string as the REST contract reads it (node's querystring, as express 5 does): every value is text, a
 * field given twice is a list (which no schema takes: 400), and an empty value stays empty (refused by its
 * schema, never replaced by a default). Fields that are numbers in the schema take plain digits as a number, and
 * booleans exactly the text `true` or `false` (as OpenAPI serialises a boolean query parameter); nothing else
 * ("0x10", " 7", "1", "TRUE", "") becomes one: it stays text and fails its schema, which never coerces.
 */
function queryInput(rawQuery: string, route: RestRoute): Record<string, unknown> {
  const parsed = querystring.parse(rawQuery);
  const input: Record<string, unknown> = {};
  for (const name of Object.keys(parsed)) input[name] = typedValue(route, name, parsed[name]);
  return input;
}

/**
 * The route's path parameters by name, percent-decoded; a bad encoding is a validation problem of that field
 * (400, with the field's code), on procedure routes and on the image routes (./images.ts) alike.
 */
export function pathParameters(route: RestRoute, rawParameters: string[]): Record<string, string> {
  const decoded: Record<string, string> = {};
  route.parameters.forEach((name, i) => {
    try {
      decoded[name] = decodeURIComponent(rawParameters[i]!);
    } catch {
      const raw = Object.fromEntries(route.parameters.map((other, j) => [other, rawParameters[j]]));
      throw inputValidationError([{ path: [name], message: "Not valid percent-encoding.", code: "invalid_format" }], raw, route.meta.fieldCodes);
    }
  });
  return decoded;
}

/**
 * The procedure's raw input for a REST request, read when the procedure asks for it: after authentication and the
 * role check (see `inputAfterAccess` in @tessera/api), so that an unusable body or a badly encoded path parameter
 * is answered in the contract's order. Read once; the same object every time after that.
 */
export function rawInputOf(route: RestRoute, method: string, rawParameters: string[], rawQuery: string, body: JsonBody): () => Promise<unknown> {
  let input: Record<string, unknown> | undefined;
  return async () => {
    if (body.kind === "read" && body.problem !== undefined) throw new AppError("INVALID_REQUEST", body.problem, { details: [] });
    // A fresh object (the body's fields copied, or the query's new one) with the path parameters over it.
    input ??= Object.assign(
      takesBody(method) ? { ...(body.kind === "read" ? body.value : {}) } : queryInput(rawQuery, route),
      pathParameters(route, rawParameters),
    );
    return input;
  };
}
