import { forEachOpenApiProcedure, getInputOutputParsers, normalizePath } from "trpc-to-openapi";
import type { z } from "zod";
import { appRouter } from "./root.ts";
import type { Meta } from "./trpc.ts";

/** One REST route of the router, as the OpenAPI adapter serves it. */
export interface RestRoute {
  /** `procedure`: served by the OpenAPI adapter from the router; `http`: a plain HTTP route of apps/server (httpRoutes). */
  kind: "procedure" | "http";
  /** The tRPC procedure; for an `http` route, a name of the same style that no procedure has. */
  procedurePath: string;
  method: string;
  path: string;
  meta: Meta;
  hasInput: boolean;
  /** Query fields that are numbers in the schema: the REST layer turns their digits into numbers. */
  numericQueryFields: string[];
}

const unwrap = (schema: z.core.$ZodType): z.core.$ZodType => {
  const def = schema._zod.def as { type: string; innerType?: z.core.$ZodType };
  return def.innerType && ["optional", "default", "nullable", "prefault"].includes(def.type) ? unwrap(def.innerType) : schema;
};

function numericFields(input: unknown): string[] {
  const shape = (input as { shape?: Record<string, z.core.$ZodType> }).shape ?? {};
  return Object.entries(shape)
    .filter(([, field]) => unwrap(field)._zod.def.type === "number")
    .map(([name]) => name);
}

export const restRoutes: RestRoute[] = [];
forEachOpenApiProcedure(appRouter._def.procedures, ({ path, procedure, meta }) => {
  const { inputParser, hasInputsDefined } = getInputOutputParsers(procedure);
  restRoutes.push({
    kind: "procedure",
    procedurePath: path,
    method: meta.openapi.method,
    path: normalizePath(meta.openapi.path),
    meta: meta as Meta,
    hasInput: hasInputsDefined,
    numericQueryFields: meta.openapi.method === "GET" ? numericFields(inputParser) : [],
  });
});

/** HTTP status of each procedure's REST success (201 for creations). */
export const successStatusOf = new Map(restRoutes.map((route) => [route.procedurePath, route.meta.successStatus ?? 200]));

const httpRoute = (procedurePath: string, method: "GET" | "POST", path: `/${string}`, meta: Omit<Meta, "openapi"> & { openapi: Omit<NonNullable<Meta["openapi"]>, "method" | "path"> }): RestRoute => ({
  kind: "http",
  procedurePath,
  method,
  path,
  meta: { ...meta, openapi: { ...meta.openapi, method, path } },
  hasInput: true, // a path parameter at least: bad percent-encoding is INVALID_REQUEST
  numericQueryFields: [],
});

/**
 * The REST routes that are not procedures, because their bodies are not JSON: served by apps/server
 * (src/http/images.ts), listed here so that routing (404/405) and the OpenAPI document know them like the others.
 */
export const httpRoutes: RestRoute[] = [
  httpRoute("products.images.upload", "POST", "/products/{id}/images", {
    openapi: {
      tags: ["products"],
      summary: "Upload an image of your product (multipart/form-data, file field `image`)",
      description:
        "Its seller only (admins and users: 403). PNG, JPEG or WebP, recognised by content, not by name; up to and " +
        "including 5 MiB (the 1 MiB JSON limit does not apply); at most 8 images per product.",
    },
    successStatus: 201,
    errors: ["FORBIDDEN", "PRODUCT_NOT_FOUND", "UNSUPPORTED_MEDIA_TYPE", "IMAGE_TOO_LARGE", "TOO_MANY_IMAGES"],
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
    errors: ["IMAGE_NOT_FOUND"],
  }),
];

const allRoutes = [...restRoutes, ...httpRoutes];
const patterns = [...new Set(allRoutes.map((route) => route.path))].map((path) => ({
  pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}/?$`),
  routes: allRoutes.filter((route) => route.path === path),
}));

/** The routes (one per method, procedures and http routes) at a request path relative to /api; empty when the path is unknown. */
export const restRoutesAt = (requestPath: string): RestRoute[] =>
  patterns.find(({ pattern }) => pattern.test(requestPath))?.routes ?? [];
