import { appRouter, type Meta } from "@tessera/api";
import type { AnyProcedure } from "@trpc/server";
import { forEachOpenApiProcedure, getInputOutputParsers, normalizePath } from "trpc-to-openapi";
import type { z } from "zod";
import { parsePathTemplate } from "./path-template.ts";

/**
 * The REST surface's one route table, derived from the procedures' OpenAPI meta (nothing here lists a route by
 * hand but the two that are not procedures), and the one matcher over it.
 */
export interface RestRoute {
  /** `procedure`: a procedure of the router; `http`: a plain HTTP route of this server (httpRoutes). */
  kind: "procedure" | "http";
  /** The tRPC procedure; for an `http` route, a name of the same style that no procedure has. */
  procedurePath: string;
  method: string;
  /** The path template relative to /api, e.g. `/data/{key}`. */
  path: string;
  meta: Meta;
  hasInput: boolean;
  /** The names of the path's parameters, in order. */
  parameters: string[];
  /** Query fields that are numbers in the schema: their digits become numbers. */
  numericQueryFields: ReadonlySet<string>;
  /** Query fields that are booleans in the schema: the text `true` / `false` becomes the boolean. */
  booleanQueryFields: ReadonlySet<string>;
  /** HTTP status of a success: the meta's (201 for creations), else 200. */
  successStatus: number;
  /** The procedure itself (procedure routes). */
  procedure?: AnyProcedure;
}

const unwrap = (schema: z.core.$ZodType): z.core.$ZodType => {
  const def = schema._zod.def as { type: string; innerType?: z.core.$ZodType };
  return def.innerType && ["optional", "default", "nullable", "prefault"].includes(def.type) ? unwrap(def.innerType) : schema;
};

function fieldsOfType(input: unknown, type: "number" | "boolean"): string[] {
  const shape = (input as { shape?: Record<string, z.core.$ZodType> }).shape ?? {};
  return Object.entries(shape)
    .filter(([, field]) => unwrap(field)._zod.def.type === type)
    .map(([name]) => name);
}

export const restRoutes: RestRoute[] = [];
forEachOpenApiProcedure(appRouter._def.procedures, ({ path, procedure, meta }) => {
  const { inputParser, hasInputsDefined } = getInputOutputParsers(procedure);
  const template = normalizePath(meta.openapi.path);
  const takesQuery = meta.openapi.method === "GET" || meta.openapi.method === "DELETE";
  restRoutes.push({
    kind: "procedure",
    procedurePath: path,
    method: meta.openapi.method,
    path: template,
    meta: meta as Meta,
    hasInput: hasInputsDefined,
    parameters: parsePathTemplate(template).parameters,
    numericQueryFields: new Set(takesQuery ? fieldsOfType(inputParser, "number") : []),
    booleanQueryFields: new Set(takesQuery ? fieldsOfType(inputParser, "boolean") : []),
    successStatus: (meta as Meta).successStatus ?? 200,
    procedure: procedure as AnyProcedure,
  });
});

type HttpMeta = Omit<Meta, "openapi"> & { openapi: Omit<NonNullable<Meta["openapi"]>, "method" | "path"> };

const httpRoute = (procedurePath: string, method: "GET" | "POST", path: `/${string}`, meta: HttpMeta): RestRoute => ({
  kind: "http",
  procedurePath,
  method,
  path,
  meta: { ...meta, openapi: { ...meta.openapi, method, path } },
  hasInput: true, // a path parameter at least: bad percent-encoding is INVALID_REQUEST
  parameters: parsePathTemplate(path).parameters,
  numericQueryFields: new Set(),
  booleanQueryFields: new Set(),
  successStatus: meta.successStatus ?? 200,
});

/**
 * The REST routes that are not procedures, because their bodies are not JSON: served by ./images.ts, listed here
 * so that routing (404/405) and the OpenAPI document know them like the others.
 */
export const httpRoutes: RestRoute[] = [
  httpRoute("products.images.upload", "POST", "/products/{id}/images", {
    openapi: {
      tags: ["products"],
      summary: "Upload an image of your product (multipart/form-data, file field `image`)",
      description:
        "Its seller only: admins get 403 FORBIDDEN, anyone else 404 PRODUCT_NOT_FOUND, as for a product that does not " +
        "exist. PNG, JPEG or WebP, recognised by content, not by name; up to and " +
        "including 5 MiB (the 1 MiB JSON limit does not apply); at most 8 images per product.",
    },
    successStatus: 201,
    errors: ["FORBIDDEN", "PRODUCT_NOT_FOUND", "UNSUPPORTED_MEDIA_TYPE", "IMAGE_TOO_LARGE", "TOO_MANY_IMAGES", "NOT_READY"],
  }),
  httpRoute("images.get", "GET", "/images/{image_id}", {
    openapi: {
      tags: ["products"],
      summary: "An image's bytes",
      description:
        "Anyone. The bytes with their Content-Type, a strong ETag (the sha256 of the bytes) and `Cache-Control: public, " +
        "max-age=31536000, immutable` (an image id never names other bytes); 304 to a matching If-None-Match.",
      protect: false,
    },
    errors: ["IMAGE_NOT_FOUND", "NOT_READY"],
  }),
];

/** The OpenAPI document's own path (GET only). */
export const DOCUMENT_PATH = "/openapi.json";

/** A path template's routes (one per method) and how to tell whether a request path is that template. */
interface Template {
  /** `null` where the template has a parameter, the literal text where it has a fixed segment. */
  segments: (string | null)[];
  routes: RestRoute[];
  /** The methods the path takes, HEAD wherever GET is (it runs the GET and node drops the body): 405's Allow. */
  allowed: string[];
}

function templateOf(path: string): Template {
  const routes = [...restRoutes, ...httpRoutes].filter((route) => route.path === path);
  const methods = routes.map((route) => route.method);
  return { segments: parsePathTemplate(path).segments, routes, allowed: methods.includes("GET") ? [...methods, "HEAD"] : methods };
}

const templates: Template[] = [...new Set([...restRoutes, ...httpRoutes].map((route) => route.path))]
  .map(templateOf)
  // More literal segments first: a fixed segment wins over a parameter at the same place.
  .sort((a, b) => b.segments.filter((s) => s !== null).length - a.segments.filter((s) => s !== null).length);

export interface RouteMatch {
  /** Every route at the path, one per method (empty: an unknown path). */
  routes: RestRoute[];
  /** The methods allowed at the path (worked out once per path, not per request). */
  allowed: string[];
  /** The path parameters as sent (still percent-encoded), in the template's order. */
  rawParameters: string[];
}

const NO_MATCH: RouteMatch = { routes: [], allowed: [], rawParameters: [] };

/**
 * The routes at a request path relative to /api (without the query), with its raw parameter values. Written here
 * rather than taken from find-my-way (fastify's router): that router decodes parameters while it matches and
 * refuses a badly encoded path before the route is known, and caps parameters at 100 characters, while the
 * contract answers routing first (404/405), then authentication, and only then a badly encoded parameter (400,
 * with the field's own code); and a key may be 255 characters, percent-encoded three times as long.
 */
export function matchRoute(requestPath: string): RouteMatch {
  // Every path also answers with one trailing slash.
  const path = requestPath.length > 1 && requestPath.endsWith("/") ? requestPath.slice(0, -1) : requestPath;
  const segments = path.split("/").slice(1);
  for (const template of templates) {
    if (template.segments.length !== segments.length) continue;
    const rawParameters: string[] = [];
    let matches = true;
    for (let i = 0; i < segments.length && matches; i++) {
      const expected = template.segments[i];
      if (expected === null) {
        if (segments[i] === "") matches = false;
        else rawParameters.push(segments[i]!);
      } else if (expected !== segments[i]) {
        matches = false;
      }
    }
    if (matches) return { routes: template.routes, allowed: template.allowed, rawParameters };
  }
  return NO_MATCH;
}
