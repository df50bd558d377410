import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { z } from "zod";
import { type AppCode, errorEnvelopeSchema, httpStatusOf } from "./envelope.ts";
import { appRouter } from "./root.ts";
import { type RestRoute, restRoutes } from "./rest-routes.ts";

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
    tags: ["auth", "data", "tasks", "admin", "cart", "checkout", "orders", "seller", "payments"],
    securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
  });
  for (const route of restRoutes) {
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
