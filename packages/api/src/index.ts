export { appRouter, createCaller, type AppRouter } from "./root.ts";
export { createContext, type Context, type Meta, type RequestInfo } from "./trpc.ts";
export {
  createPaymentSimulator,
  createRedisConnections,
  createServices,
  createLocalImageStorage,
  createS3ImageStorage,
  type ImageStorage,
  type ImageSweep,
  type PaymentProvider,
  type PaymentSimulator,
  SIGNATURE_HEADER,
  signWebhook,
  type CounterFactory,
  type RedisConnections,
  type DomainMetrics,
  type ServiceOverrides,
  type Services,
} from "./services/index.ts";
export {
  AppError, DETAIL_CODES, errorEnvelope, errorEnvelopeSchema, toErrorEnvelope, httpStatusOf, type AppCode, type ErrorEnvelope,
} from "./envelope.ts";
export { inputValidationError } from "./validation.ts";
export { authorizeImageUpload, imageForRead, productForUpload, storeImage } from "./router/products/images.handler.ts";
export { uploadedImageOutput } from "./router/products/images.schema.ts";
export type { TokenPair } from "./router/auth/auth.schema.ts";
export { createSuperuser, SuperuserError, type SuperuserInput } from "./cli/superuser.ts";
