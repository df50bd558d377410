import { type AppCode, errorEnvelope, httpStatusOf } from "@tessera/api";
import type { Response } from "express";

/** Answers with the contract's error envelope and the code's HTTP status. */
export function sendError(res: Response, code: AppCode, message: string, headers: Record<string, string> = {}): void {
  res.status(httpStatusOf(code)).set(headers).json(errorEnvelope(code, message));
}
