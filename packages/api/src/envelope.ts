import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { z } from "zod";

/**
 * The wire contract of docs/contract.md in one place: the success and error envelopes,
 * every machine code with its HTTP status, and how a tRPC error becomes a REST error body.
 */
const APP_CODES = {
  INVALID_REQUEST: { http: 400, trpc: "BAD_REQUEST" },
  MISSING_FIELDS: { http: 400, trpc: "BAD_REQUEST" },
  INVALID_PASSWORD: { http: 400, trpc: "BAD_REQUEST" },
  INVALID_AGE: { http: 400, trpc: "BAD_REQUEST" },
  GENDER_REQUIRED: { http: 400, trpc: "BAD_REQUEST" },
  INVALID_KEY: { http: 400, trpc: "BAD_REQUEST" },
  INVALID_VALUE: { http: 400, trpc: "BAD_REQUEST" },
  INVALID_TOKEN: { http: 401, trpc: "UNAUTHORIZED" },
  INVALID_CREDENTIALS: { http: 401, trpc: "UNAUTHORIZED" },
  FORBIDDEN: { http: 403, trpc: "FORBIDDEN" },
  NOT_FOUND: { http: 404, trpc: "NOT_FOUND" },
  KEY_NOT_FOUND: { http: 404, trpc: "NOT_FOUND" },
  TASK_NOT_FOUND: { http: 404, trpc: "NOT_FOUND" },
  USER_NOT_FOUND: { http: 404, trpc: "NOT_FOUND" },
  METHOD_NOT_ALLOWED: { http: 405, trpc: "METHOD_NOT_SUPPORTED" },
  USERNAME_EXISTS: { http: 409, trpc: "CONFLICT" },
  EMAIL_EXISTS: { http: 409, trpc: "CONFLICT" },
  KEY_EXISTS: { http: 409, trpc: "CONFLICT" },
  // An admin write that would leave no active admin (demoting, deactivating or deleting the last one).
  LAST_ADMIN: { http: 409, trpc: "CONFLICT" },
  // A create past a per-user limit (QUOTA_*): 409 like TOO_MANY_IMAGES, since the request is valid and conflicts
  // with what the user already has (deleting some makes it succeed); not 429, which says "wait", nor 507.
  QUOTA_EXCEEDED: { http: 409, trpc: "CONFLICT" },
  PAYLOAD_TOO_LARGE: { http: 413, trpc: "PAYLOAD_TOO_LARGE" },
  UNSUPPORTED_MEDIA_TYPE: { http: 415, trpc: "UNSUPPORTED_MEDIA_TYPE" },
  RATE_LIMITED: { http: 429, trpc: "TOO_MANY_REQUESTS" },
  INTERNAL_SERVER_ERROR: { http: 500, trpc: "INTERNAL_SERVER_ERROR" },
  NOT_READY: { http: 503, trpc: "SERVICE_UNAVAILABLE" },
  // Marketplace (docs/contract.md).
  ALREADY_SELLER: { http: 409, trpc: "CONFLICT" },
  PRODUCT_NOT_FOUND: { http: 404, trpc: "NOT_FOUND" },
  IMAGE_NOT_FOUND: { http: 404, trpc: "NOT_FOUND" },
  IMAGE_TOO_LARGE: { http: 413, trpc: "PAYLOAD_TOO_LARGE" },
  TOO_MANY_IMAGES: { http: 409, trpc: "CONFLICT" },
  INSUFFICIENT_STOCK: { http: 409, trpc: "CONFLICT" },
  CURRENCY_MISMATCH: { http: 400, trpc: "BAD_REQUEST" },
  OWN_PRODUCT: { http: 400, trpc: "BAD_REQUEST" },
  CART_EMPTY: { http: 400, trpc: "BAD_REQUEST" },
  IDEMPOTENCY_KEY_REQUIRED: { http: 400, trpc: "BAD_REQUEST" },
  IDEMPOTENCY_KEY_REUSED: { http: 409, trpc: "CONFLICT" },
  PAYMENT_DECLINED: { http: 402, trpc: "PAYMENT_REQUIRED" },
  INVALID_SIGNATURE: { http: 400, trpc: "BAD_REQUEST" },
  ORDER_NOT_FOUND: { http: 404, trpc: "NOT_FOUND" },
  INVALID_ORDER_STATE: { http: 409, trpc: "CONFLICT" },
} as const satisfies Record<string, { http: number; trpc: TRPC_ERROR_CODE_KEY }>;

export type AppCode = keyof typeof APP_CODES;
export const appCodes = Object.keys(APP_CODES) as AppCode[];

export const httpStatusOf = (code: AppCode): number => APP_CODES[code].http;

/**
 * Codes whose errors list problems in `details`: the contract's input validation codes, and the marketplace codes
 * whose text in docs/contract.md says so (one entry per product out of stock; the declined payment method).
 */
export const DETAIL_CODES = new Set<AppCode>([
  "INVALID_REQUEST", "MISSING_FIELDS", "INVALID_PASSWORD", "INVALID_AGE", "GENDER_REQUIRED", "INVALID_KEY", "INVALID_VALUE",
  "INSUFFICIENT_STOCK", "PAYMENT_DECLINED", "QUOTA_EXCEEDED",
]);

/** When tRPC itself raises an error (bad batch, unknown procedure, …) it gets the nearest contract code. */
const FROM_TRPC_CODE: Partial<Record<TRPC_ERROR_CODE_KEY, AppCode>> = {
  PARSE_ERROR: "INVALID_REQUEST",
  BAD_REQUEST: "INVALID_REQUEST",
  UNAUTHORIZED: "INVALID_TOKEN",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  METHOD_NOT_SUPPORTED: "METHOD_NOT_ALLOWED",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  TOO_MANY_REQUESTS: "RATE_LIMITED",
  SERVICE_UNAVAILABLE: "NOT_READY",
};

export interface FieldProblem {
  path: string;
  message: string;
  /** PAYMENT_DECLINED: the processor's reason, e.g. `insufficient_funds` (docs/contract.md). */
  decline_code?: string;
}

export class AppError extends TRPCError {
  readonly appCode: AppCode;
  readonly details?: FieldProblem[];
  /** Seconds, sent as `Retry-After` with RATE_LIMITED. */
  readonly retryAfter?: number;

  constructor(code: AppCode, message: string, extra: { details?: FieldProblem[]; retryAfter?: number; cause?: unknown } = {}) {
    super({ code: APP_CODES[code].trpc, message, cause: extra.cause });
    this.appCode = code;
    this.details = extra.details;
    this.retryAfter = extra.retryAfter;
  }
}

export interface ErrorEnvelope {
  status: "error";
  code: AppCode;
  message: string;
  details?: FieldProblem[];
}

/** The contract's view of any error: unknown failures never leak their text. */
export function toErrorEnvelope(error: TRPCError): ErrorEnvelope {
  if (error instanceof AppError) {
    return {
      status: "error",
      code: error.appCode,
      message: error.message,
      ...(DETAIL_CODES.has(error.appCode) && { details: error.details ?? [] }),
    };
  }
  const code = FROM_TRPC_CODE[error.code] ?? "INTERNAL_SERVER_ERROR";
  const message = code === "INTERNAL_SERVER_ERROR" ? "Internal server error." : error.message;
  return { status: "error", code, message, ...(DETAIL_CODES.has(code) && { details: [] }) };
}

export function errorEnvelope(code: AppCode, message: string): ErrorEnvelope {
  return toErrorEnvelope(new AppError(code, message));
}

export function success<T>(data: T): { status: "success"; data: T };
export function success<T>(data: T, message: string): { status: "success"; message: string; data: T };
export function success<T>(data: T, message?: string) {
  return { status: "success" as const, ...(message !== undefined && { message }), data };
}

/** A success that carries only a message (writes without a body to return). */
export const done = (message: string) => ({ status: "success" as const, message });

/** Zod schemas of the envelopes, for procedure outputs and the OpenAPI document. */
const successSchema = z.object({ status: z.literal("success") });

export const messageEnvelopeSchema = (message: string) => successSchema.extend({ message: z.string().meta({ example: message }) });

const dataEnvelope = <T extends z.ZodType>(data: T) => successSchema.extend({ data });
const messageDataEnvelope = <T extends z.ZodType>(data: T, message: string) => messageEnvelopeSchema(message).extend({ data });

/** `{status, data}`, or `{status, message, data}` for routes that always say something. */
export function envelopeSchema<T extends z.ZodType>(data: T): ReturnType<typeof dataEnvelope<T>>;
export function envelopeSchema<T extends z.ZodType>(data: T, message: string): ReturnType<typeof messageDataEnvelope<T>>;
export function envelopeSchema<T extends z.ZodType>(data: T, message?: string) {
  return message === undefined ? dataEnvelope(data) : messageDataEnvelope(data, message);
}

export const errorEnvelopeSchema = z
  .object({
    status: z.literal("error"),
    code: z.enum(appCodes as [AppCode, ...AppCode[]]),
    message: z.string(),
    details: z
      .array(z.object({ path: z.string(), message: z.string(), decline_code: z.string().optional() }))
      .optional(),
  })
  .meta({
    description:
      "Every error response. `details` lists field problems on input validation codes, the products out of stock on " +
      "INSUFFICIENT_STOCK, and the payment method (with `decline_code`) on PAYMENT_DECLINED; it is absent on other codes.",
  });
