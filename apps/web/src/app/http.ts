import { type FieldProblem, TesseraError, type TesseraErrorCode } from "@tessera/sdk";
import { tessera } from "./tessera.ts";

/**
 * The one call that is no procedure of the SDK: the image upload, `multipart/form-data` to its REST route, sent with
 * the SDK's access token. Answers and errors are the contract's; errors become TesseraError, like the SDK's.
 */
interface ErrorBody {
  code: TesseraErrorCode;
  message: string;
  details?: FieldProblem[];
}

const networkError = (cause: unknown) =>
  new TesseraError(cause instanceof Error ? cause.message : "The request failed.", { code: "NETWORK_ERROR", cause: cause instanceof Error ? cause : undefined });

const isErrorBody = (body: unknown): body is ErrorBody =>
  typeof body === "object" && body !== null && (body as { status?: unknown }).status === "error" && typeof (body as ErrorBody).code === "string";

async function send(path: string, form: FormData): Promise<{ status: number; body: unknown }> {
  const tokens = await tessera.getTokens();
  if (!tokens) throw new TesseraError("You are signed out: sign in again.", { code: "INVALID_TOKEN" });
  try {
    // No Content-Type: the browser writes multipart/form-data with its boundary.
    const response = await fetch(`/api${path}`, {
      method: "POST",
      body: form,
      headers: { Accept: "application/json", Authorization: `Bearer ${tokens.accessToken}` },
    });
    return { status: response.status, body: await response.json() };
  } catch (cause) {
    throw networkError(cause); // no answer, or not the server's JSON
  }
}

/** POSTs the form; an expired access token is refreshed once (as the SDK does) and the form sent again. */
export async function postForm<T>(path: string, form: FormData): Promise<T> {
  let reply = await send(path, form);
  if (isErrorBody(reply.body) && reply.body.code === "INVALID_TOKEN") {
    await tessera.refresh().catch(() => undefined); // a refused refresh signs the app out (see tessera.ts)
    reply = await send(path, form);
  }
  if (reply.status < 400) return reply.body as T;
  if (!isErrorBody(reply.body)) throw networkError(new Error(`HTTP ${reply.status} without the contract's error body.`));
  const { code, message, details } = reply.body;
  throw new TesseraError(message, { code, details });
}
