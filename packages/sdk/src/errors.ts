import { TRPCClientError } from "@trpc/client";
import type { AppCode, FieldProblem, TesseraRouter } from "./router.ts";

/**
 * A contract code (docs/contract.md), or `NETWORK_ERROR` when no contract answer arrived: the request failed, was aborted,
 * or the reply was not the server's JSON (a proxy's HTML error page, say). `cause` then holds the original error.
 */
export type TesseraErrorCode = AppCode | "NETWORK_ERROR";

export interface TesseraErrorOptions {
  code: TesseraErrorCode;
  details?: FieldProblem[] | undefined;
  cause?: Error | undefined;
  /** The tRPC error as the server shaped it, when there was one. */
  shape?: TesseraRouter["_def"]["_config"]["$types"]["errorShape"] | undefined;
  meta?: Record<string, unknown> | undefined;
}

/**
 * Every failed call rejects with this. It extends TRPCClientError, so tRPC tooling (and `instanceof
 * TRPCClientError`) keeps working, and adds the contract's view: `code`, `message` and `details`. The server's
 * shape stays in `data` (`httpStatus`, and `retryAfter` in seconds with `RATE_LIMITED`).
 */
export class TesseraError extends TRPCClientError<TesseraRouter> {
  /** The contract's machine code, e.g. `INVALID_TOKEN`, `TASK_NOT_FOUND`. */
  readonly code: TesseraErrorCode;
  /** Field problems, on input validation codes only (docs/contract.md); `undefined` elsewhere. */
  readonly details: FieldProblem[] | undefined;

  constructor(message: string, options: TesseraErrorOptions) {
    super(message, {
      cause: options.cause,
      meta: options.meta,
      ...(options.shape && { result: { error: options.shape } }),
    });
    // TRPCClientError's constructor pins the prototype to its own; subclass methods and instanceof need ours.
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = "TesseraError";
    this.code = options.code;
    this.details = options.details;
  }
}

export const isTesseraError = (error: unknown): error is TesseraError => error instanceof TesseraError;

type Shape = NonNullable<TesseraErrorOptions["shape"]>;

/** The server's formatter always sets `data.appCode`; anything else is not a contract answer. */
const isContractShape = (shape: unknown): shape is Shape =>
  typeof shape === "object" && shape !== null &&
  typeof (shape as { message?: unknown }).message === "string" &&
  typeof (shape as { data?: { appCode?: unknown } }).data?.appCode === "string";

/** Any error a link or call produced, as a TesseraError (returned as is when it already is one). */
export function toTesseraError(error: unknown): TesseraError {
  if (error instanceof TesseraError) return error;
  if (error instanceof TRPCClientError && isContractShape(error.shape)) {
    const shape = error.shape;
    return new TesseraError(shape.message, { code: shape.data.appCode, details: shape.data.details, shape, cause: error.cause, meta: error.meta });
  }
  const cause = error instanceof TRPCClientError ? error.cause ?? error : error instanceof Error ? error : undefined;
  const message = error instanceof Error ? error.message : "The request failed.";
  return new TesseraError(message, { code: "NETWORK_ERROR", cause, meta: error instanceof TRPCClientError ? error.meta : undefined });
}

/** An error the client raises itself, before or instead of a request (no tokens to refresh with, say). */
export const localError = (code: TesseraErrorCode, message: string): TesseraError => new TesseraError(message, { code });
