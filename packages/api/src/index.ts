export { appRouter, createCaller, type AppRouter } from "./root.ts";
export { createContext, type Context, type RequestInfo } from "./trpc.ts";
export { createServices, type Services, type LimiterFactory } from "./services/index.ts";
export { AppError, errorEnvelope, errorEnvelopeFromRestBody, toErrorEnvelope, httpStatusOf, type AppCode, type ErrorEnvelope } from "./envelope.ts";
export { createOpenApiDocument } from "./openapi.ts";
export { restRoutesAt, successStatusOf, type RestRoute } from "./rest-routes.ts";
