import { forEachOpenApiProcedure, getInputOutputParsers, normalizePath } from "trpc-to-openapi";
import type { z } from "zod";
import { appRouter } from "./root.ts";
import type { Meta } from "./trpc.ts";

/** One REST route of the router, as the OpenAPI adapter serves it. */
export interface RestRoute {
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

const patterns = [...new Set(restRoutes.map((route) => route.path))].map((path) => ({
  pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}/?$`),
  routes: restRoutes.filter((route) => route.path === path),
}));

/** The routes (one per method) at a request path relative to /api; empty when the path is unknown. */
export const restRoutesAt = (requestPath: string): RestRoute[] =>
  patterns.find(({ pattern }) => pattern.test(requestPath))?.routes ?? [];
