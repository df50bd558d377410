import {
  type AppCode, appRouter, DETAIL_CODES, errorEnvelopeSchema, httpStatusOf, uploadedImageOutput,
} from "@tessera/api";
import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { z } from "zod";
import { httpRoutes, type RestRoute, restRoutes } from "./routes.ts";

/**
 * The OpenAPI document of the REST surface: generated from the router by trpc-to-openapi (each procedure's meta,
 * input and output schemas; named schemas, `.meta({ id })`, become components), then corrected to every answer the
 * wire really carries: each route's success status, the contract's error envelope with the codes of each status,
 * the headers (X-Request-Id on everything, Retry-After on 429), HEAD wherever GET is, the optional body of routes
 * without input, who may call without a token, and the routing answers (404, 405 with Allow) that no operation owns.
 */

type Json = Record<string, any>;
type Operation = Json;

const TAGS: Record<string, string> = {
  auth: "Accounts and sessions: register, log in (POST /token, alias POST /login), rotate tokens, log out, who am I.",
  data: "Each user's private key-value store.",
  tasks: "Each user's tasks: filters, sorting and keyset paging.",
  admin: "User administration and the audit log (admins only).",
  seller: "Becoming a seller, and the orders for a seller's products (sellers only).",
  products: "The catalog: products, their images and categories.",
  cart: "The caller's cart, priced live.",
  checkout: "Placing the cart's orders and paying for them, once per Idempotency-Key.",
  orders: "The caller's orders as a buyer: history, status, cancellation.",
  payments: "The payment provider's signed webhook.",
};

const DESCRIPTION = [
  "REST surface of the Tessera tRPC router (the same procedures are served as tRPC at `/trpc`).",
  "",
  "- Every answer is a JSON envelope, `{status: \"success\", message?, data?}` or an `ErrorEnvelope`; image bytes " +
    "(`GET /images/{image_id}`) are the one exception.",
  "- Every answer carries `X-Request-Id`: the request's own when it is 1–128 characters of `A-Z a-z 0-9 . _ -`, else a " +
    "generated UUID.",
  "- Routing comes first, then authentication, then validation. A path not listed here is `404 NOT_FOUND`; a listed path " +
    "with a method it does not list is `405 METHOD_NOT_ALLOWED` with `Allow` naming the methods it takes (both answers " +
    "are described under `x-routing`). Every path also answers with one trailing slash; HEAD is answered wherever GET is.",
  "- A JSON body, where one is sent, must be a JSON object of at most 1 MiB (`400 INVALID_REQUEST`, `413 PAYLOAD_TOO_LARGE`) " +
    "on every route but the image upload; unknown fields are ignored. An `INVALID_REQUEST` message names the fields.",
  "- `429 RATE_LIMITED` carries `Retry-After` (seconds).",
  "- Lengths are Unicode code points (as JSON Schema's minLength and maxLength count them); byte limits are UTF-8.",
  "- Probes, outside this base path: `GET /healthz` (the process is up), `GET /readyz` (its backing services answer).",
].join("\n");

const ref = (kind: "schemas" | "headers", name: string) => ({ $ref: `#/components/${kind}/${name}` });
const REQUEST_ID = ref("headers", "X-Request-Id");

const HEADERS: Json = {
  "X-Request-Id": {
    required: true,
    description: "The request's own X-Request-Id if it was 1–128 characters of A-Z a-z 0-9 . _ -, else a generated UUID.",
    schema: { type: "string", pattern: "^[A-Za-z0-9._-]{1,128}$" },
  },
  "Retry-After": { required: true, description: "Seconds to wait before trying again.", schema: { type: "integer", minimum: 0 } },
};

/** The contract's error envelope, exactly: `details` present on the codes that carry it, absent on every other. */
function errorEnvelopeComponents(): Record<string, Json> {
  const { $schema: _, ...envelope } = z.toJSONSchema(errorEnvelopeSchema) as Json;
  const { items: fieldProblem, ...details } = envelope.properties.details;
  return {
    ErrorEnvelope: {
      ...envelope,
      properties: { ...envelope.properties, message: { type: "string", minLength: 1 }, details: { ...details, items: ref("schemas", "FieldProblem") } },
      if: { properties: { code: { enum: [...DETAIL_CODES] } } },
      then: { properties: { details: { type: "array" } }, required: ["details"] },
      else: { properties: { details: false } },
    },
    FieldProblem: {
      ...fieldProblem,
      description: "One problem: `path` names the field (dotted for nested fields; empty for the body as a whole).",
      properties: { ...fieldProblem.properties, message: { type: "string", minLength: 1 } },
    },
  };
}

/** An error answer of one HTTP status: the envelope, narrowed to the codes this operation answers with at it. */
const errorResponse = (status: number, codes: AppCode[]) => ({
  description: codes.join(", "),
  headers: { "X-Request-Id": REQUEST_ID, ...(status === 429 && { "Retry-After": ref("headers", "Retry-After") }) },
  content: {
    "application/json": {
      schema: { allOf: [ref("schemas", "ErrorEnvelope"), { type: "object", properties: { code: { enum: codes } } }] },
    },
  },
});

/** What the routing answers to requests no operation takes (x-routing: OpenAPI has no place for them). */
function routingAnswers(): Json {
  const answer = (description: string, code: AppCode, headers: Json = {}) => ({
    ...errorResponse(httpStatusOf(code), [code]),
    description,
    headers: { ...headers, "X-Request-Id": REQUEST_ID },
  });
  return {
    notFound: answer("A path this document does not list (answered first, whatever the method and token).", "NOT_FOUND"),
    methodNotAllowed: answer(
      "A listed path with a method it does not list (answered before authentication and validation).",
      "METHOD_NOT_ALLOWED",
      { Allow: { required: true, description: "The methods the path takes, HEAD included wherever GET is.", schema: { type: "string" } } },
    ),
  };
}

/** Who may call: the bearer token, nothing, or either (a public route that reads a token when one is sent). */
function securityOf(route: RestRoute): Json[] {
  if (route.meta.openapi?.protect !== false) return [{ bearerAuth: [] }];
  return route.meta.errors?.includes("INVALID_TOKEN") ? [{}, { bearerAuth: [] }] : [];
}

function documentedErrors(route: RestRoute): AppCode[] {
  const codes = new Set<AppCode>(route.meta.errors ?? []);
  if (route.kind === "procedure") {
    // Every procedure route reads a body when one is sent, whatever the method: not a JSON object is 400, over 1 MiB 413.
    codes.add("INVALID_REQUEST");
    codes.add("PAYLOAD_TOO_LARGE");
  } else if (route.hasInput) {
    codes.add("INVALID_REQUEST"); // a badly encoded path parameter; the upload's own limit is IMAGE_TOO_LARGE
  }
  if (route.meta.openapi?.protect !== false) codes.add("INVALID_TOKEN");
  codes.add("INTERNAL_SERVER_ERROR");
  return [...codes];
}

const pathParameter = (name: string, description: string) => ({ name, in: "path", required: true, schema: { type: "string" }, description });

/** The operations of the http routes (not procedures, so not generated from meta): the multipart upload and the image bytes. */
function httpOperations(): Json {
  const operations: Json = {};
  for (const route of httpRoutes) {
    const { summary, description, tags } = route.meta.openapi!;
    const common = { operationId: route.procedurePath.replaceAll(".", "-"), summary, description, tags };
    const operation =
      route.method === "POST"
        ? {
            ...common,
            parameters: [pathParameter("id", "The product's id.")],
            requestBody: {
              required: true,
              content: {
                "multipart/form-data": {
                  schema: { type: "object", properties: { image: { type: "string", format: "binary", description: "PNG, JPEG or WebP, at most 5 MiB." } }, required: ["image"] },
                },
              },
            },
            responses: { 201: { description: "Uploaded.", content: { "application/json": { schema: uploadedImageOutput } } } },
          }
        : {
            ...common,
            parameters: [pathParameter("image_id", "The image's image_id.")],
            responses: {
              200: {
                description: "The image's bytes.",
                headers: {
                  ETag: { required: true, schema: { type: "string" }, description: "The quoted sha256 of the bytes." },
                  "Cache-Control": { required: true, schema: { type: "string", example: "public, max-age=31536000, immutable" } },
                },
                content: Object.fromEntries(["image/png", "image/jpeg", "image/webp"].map((type) => [type, { schema: { type: "string", format: "binary" } }])),
              },
              304: {
                description: "Not modified: the If-None-Match matched the ETag.",
                headers: { ETag: { required: true, schema: { type: "string" }, description: "The quoted sha256 of the bytes." } },
              },
            },
          };
    operations[route.path] = { ...operations[route.path], [route.method.toLowerCase()]: operation };
  }
  return operations;
}

/** The operation's answers: its success (and 304), then one entry per error status; X-Request-Id on each. */
function responsesOf(route: RestRoute, generated: Json): Json {
  const { 200: ok, 201: created, 304: notModified } = generated;
  const success = ok ?? created;
  const byStatus = new Map<number, AppCode[]>();
  for (const code of documentedErrors(route)) {
    const status = httpStatusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const withRequestId = (response: Json) => ({ ...response, headers: { "X-Request-Id": REQUEST_ID, ...response.headers } });
  return {
    [route.successStatus]: withRequestId(success),
    ...(notModified !== undefined && { 304: withRequestId(notModified) }),
    ...Object.fromEntries([...byStatus].sort(([a], [b]) => a - b).map(([status, codes]) => [status, errorResponse(status, codes)])),
  };
}

/** HEAD, wherever GET is: the same parameters, security and statuses, the headers only. */
function headOf(get: Operation): Operation {
  return {
    ...get,
    operationId: `${get.operationId}-head`,
    summary: `${get.summary} (headers only)`,
    description: "As GET, without the body.",
    responses: Object.fromEntries(
      Object.entries(get.responses as Json).map(([status, { description, headers }]) => [status, { description, headers }]),
    ),
  };
}

/** Routes without input take no body, but accept an empty one or any JSON object (ignored); anything else is 400. */
const OPTIONAL_BODY = {
  required: false,
  description: "Optional: no body, or a JSON object (its fields are ignored).",
  content: { "application/json": { schema: { type: "object" } } },
};

/** Drops component schemas nothing refers to (the generator registers its own error shapes, replaced above). */
function withoutUnusedSchemas(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Json;
  for (;;) {
    const { schemas: _, ...rest } = document.components ?? {};
    const text = JSON.stringify({ ...document, components: { ...rest, schemas: {} } }) + JSON.stringify(schemas);
    const unused = Object.keys(schemas).filter((name) => !text.includes(`"#/components/schemas/${name}"`));
    if (unused.length === 0) return;
    for (const name of unused) delete schemas[name];
  }
}

export function createOpenApiDocument(options: { version: string; baseUrl: string }): OpenAPIObject {
  const document = generateOpenApiDocument(appRouter, {
    title: "Tessera API",
    description: DESCRIPTION,
    version: options.version,
    baseUrl: options.baseUrl,
    // The license of the published client (packages/sdk), the one the repository declares.
    license: { name: "MIT", identifier: "MIT" },
    tags: Object.keys(TAGS),
    securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    paths: httpOperations(),
  });
  document.tags = Object.entries(TAGS).map(([name, description]) => ({ name, description }));
  const paths = document.paths as Json;
  for (const route of [...restRoutes, ...httpRoutes]) {
    const operation = paths[route.path]?.[route.method.toLowerCase()] as Operation | undefined;
    if (!operation) throw new Error(`The generator left out ${route.method} ${route.path}.`);
    operation.security = securityOf(route);
    operation.responses = responsesOf(route, operation.responses);
    if (route.kind === "procedure" && ["POST", "PUT", "PATCH"].includes(route.method) && !operation.requestBody) operation.requestBody = OPTIONAL_BODY;
  }
  for (const item of Object.values(paths)) if (item.get) item.head = headOf(item.get);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...errorEnvelopeComponents() },
    headers: HEADERS,
  };
  (document as Json)["x-routing"] = routingAnswers();
  withoutUnusedSchemas(document);
  return document;
}
