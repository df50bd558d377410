import { type AppCode, appRouter, errorEnvelopeSchema, httpStatusOf, uploadedImageOutput } from "@tessera/api";
import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { z } from "zod";
import { httpRoutes, type RestRoute, restRoutes } from "./routes.ts";

function documentedErrors(route: RestRoute): AppCode[] {
  const codes = new Set<AppCode>(route.meta.errors ?? []);
  if (route.hasInput) codes.add("INVALID_REQUEST");
  if (route.meta.openapi?.protect !== false) codes.add("INVALID_TOKEN");
  // The JSON body limit; the image upload has its own (IMAGE_TOO_LARGE, in its errors).
  if (route.method !== "GET" && route.method !== "DELETE" && route.kind === "procedure") codes.add("PAYLOAD_TOO_LARGE");
  codes.add("INTERNAL_SERVER_ERROR");
  return [...codes];
}

const ERROR_REF = { $ref: "#/components/schemas/ErrorEnvelope" };

const jsonSchemaOf = (schema: z.ZodType) => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return rest;
};

/** The operations of the http routes (not procedures, so not generated): the multipart upload and the image bytes. */
function httpOperations(): NonNullable<OpenAPIObject["paths"]> {
  const operations: Record<string, Record<string, unknown>> = {};
  const pathParameter = (name: string, description: string) => ({ name, in: "path", required: true, schema: { type: "string" }, description });
  for (const route of httpRoutes) {
    const { summary, description, tags, protect } = route.meta.openapi!;
    const common = { operationId: route.procedurePath.replaceAll(".", "-"), summary, description, tags, ...(protect !== false && { security: [{ bearerAuth: [] }] }) };
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
            responses: { 201: { description: "Uploaded.", content: { "application/json": { schema: jsonSchemaOf(uploadedImageOutput) } } } },
          }
        : {
            ...common,
            parameters: [pathParameter("image_id", "The image's image_id.")],
            responses: {
              200: {
                description: "The image's bytes.",
                headers: {
                  ETag: { schema: { type: "string" }, description: "The quoted sha256 of the bytes." },
                  "Cache-Control": { schema: { type: "string", example: "public, max-age=31536000, immutable" } },
                },
                content: Object.fromEntries(["image/png", "image/jpeg", "image/webp"].map((type) => [type, { schema: { type: "string", format: "binary" } }])),
              },
              304: { description: "Not modified: the If-None-Match matched the ETag." },
            },
          };
    operations[route.path] = { ...operations[route.path], [route.method.toLowerCase()]: operation };
  }
  return operations as NonNullable<OpenAPIObject["paths"]>;
}

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
    tags: ["auth", "data", "tasks", "admin", "seller", "products", "cart", "checkout", "orders", "payments"],
    securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
  });
  document.paths = { ...document.paths, ...httpOperations() };
  for (const route of [...restRoutes, ...httpRoutes]) {
    const operation = document.paths?.[route.path]?.[route.method.toLowerCase() as "get"];
    if (!operation) continue;
    const { 200: ok, 201: created, 304: notModified } = operation.responses as Record<string, unknown>;
    const byStatus = new Map<number, AppCode[]>();
    for (const code of documentedErrors(route)) {
      const status = httpStatusOf(code);
      byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    }
    operation.responses = {
      [route.meta.successStatus ?? 200]: ok ?? created,
      ...(notModified !== undefined && { 304: notModified }),
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
