import { forEachOpenApiProcedure, generateOpenApiDocument, normalizePath, type OpenAPIObject } from "trpc-to-openapi";
import { z } from "zod";
import { type AppCode, errorEnvelopeSchema, httpStatusOf } from "./envelope.ts";
import { appRouter } from "./root.ts";
import type { Meta } from "./trpc.ts";

interface RestRoute {
  procedurePath: string;
  method: string;
  path: string;
  meta: Meta;
  hasInput: boolean;
}

function restRoutes(): RestRoute[] {
  const routes: RestRoute[] = [];
  forEachOpenApiProcedure(appRouter._def.procedures, ({ path, procedure, meta }) => {
    routes.push({
      procedurePath: path,
      method: meta.openapi.method,
      path: normalizePath(meta.openapi.path),
      meta: meta as Meta,
      hasInput: (procedure._def as { inputs: unknown[] }).inputs.length > 0,
    });
  });
  return routes;
}

const ROUTES = restRoutes();

/** HTTP status of each procedure's REST success (201 for creations). */
export const successStatusOf = new Map(ROUTES.map((route) => [route.procedurePath, route.meta.successStatus ?? 200]));

function documentedErrors(route: RestRoute): AppCode[] {
  const codes = new Set<AppCode>(route.meta.errors ?? []);
  if (route.hasInput) codes.add("INVALID_REQUEST");
  if (route.meta.openapi?.protect !== false) codes.add("INVALID_TOKEN");
  if (route.method !== "GET" && route.method !== "DELETE") codes.add("PAYLOAD_TOO_LARGE");
  codes.add("INTERNAL_SERVER_ERROR");
  return [...codes];
}

const ERROR_REF = { $ref: "#/components/schemas/ErrorEnvelope" };

/**
 * The OpenAPI document of the REST surface, generated from the router, then corrected to what the
 * wire really carries: each route's success status, and the contract's error envelope and codes.
 */
export function createOpenApiDocument(options: { version: string; baseUrl: string }): OpenAPIObject {
  const document = generateOpenApiDocument(appRouter, {
    title: "Tessera API",
    description: "REST surface of the Tessera tRPC router. Every response is a JSON envelope; see ErrorEnvelope for errors.",
    version: options.version,
    baseUrl: options.baseUrl,
    tags: ["auth", "data", "tasks"],
    securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
  });
  for (const route of ROUTES) {
    const operation = document.paths?.[route.path]?.[route.method.toLowerCase() as "get"];
    if (!operation) continue;
    const { 200: ok } = operation.responses as Record<string, unknown>;
    const byStatus = new Map<number, AppCode[]>();
    for (const code of documentedErrors(route)) {
      const status = httpStatusOf(code);
      byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    }
    operation.responses = {
      [route.meta.successStatus ?? 200]: ok,
      ...Object.fromEntries(
        [...byStatus].map(([status, codes]) => [
          status,
          { description: codes.join(", "), content: { "application/json": { schema: ERROR_REF } } },
        ]),
      ),
    };
  }
  const { $schema: _, ...errorEnvelope } = z.toJSONSchema(errorEnvelopeSchema) as Record<string, unknown>;
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ErrorEnvelope: errorEnvelope } };
  return document;
}

/** Every REST path pattern with the methods it answers, for 404/405 decisions before any procedure runs. */
export const restMethodsByPath = (): { pattern: RegExp; methods: string[] }[] => {
  const byPath = new Map<string, string[]>();
  for (const route of ROUTES) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route.method]);
  return [...byPath].map(([path, methods]) => ({
    pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}/?$`),
    methods,
  }));
};
