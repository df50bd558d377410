import { localError, TesseraError, type TesseraErrorCode } from "./errors.ts";
import type { FieldProblem } from "./router.ts";
import type { Session } from "./session.ts";

/** What an image upload takes: a File or Blob (browsers, Node 20+), or bytes (a Node `Buffer`, a `Uint8Array`). */
export type ImageData = Blob | ArrayBuffer | ArrayBufferView;

export interface UploadImageOptions {
  /** The file name sent with the bytes; a File's own name by default, else `"image"`. The server goes by the content. */
  filename?: string | undefined;
  /** Cancels the upload; the call then rejects with NETWORK_ERROR. */
  signal?: AbortSignal | undefined;
}

/** The stored image: its id (for `products.images.delete`) and the URL its bytes are served at. */
export interface UploadedImage {
  image_id: string;
  url: string;
}

/** The fetch the helper calls: the client's `fetch` option is also typed for tRPC, so only this much is relied on. */
type Fetch = (url: string, init: { method: string; body: FormData; headers: Record<string, string>; signal?: AbortSignal | undefined }) =>
  Promise<{ status: number; json(): Promise<unknown> }>;

interface ErrorBody {
  status: "error";
  code: TesseraErrorCode;
  message: string;
  details?: FieldProblem[];
}

const isErrorBody = (body: unknown): body is ErrorBody =>
  typeof body === "object" && body !== null && (body as { status?: unknown }).status === "error" &&
  typeof (body as { code?: unknown }).code === "string" && typeof (body as { message?: unknown }).message === "string";

const toBlob = (image: ImageData): Blob => {
  if (image instanceof Blob) return image;
  // A copy into a plain ArrayBuffer: a Node Buffer may be a view of a larger, shared pool.
  const bytes = image instanceof ArrayBuffer ? new Uint8Array(image) : new Uint8Array(image.buffer, image.byteOffset, image.byteLength);
  return new Blob([bytes.slice()]);
};

const nameOf = (image: ImageData, given: string | undefined) =>
  given ?? (typeof (image as { name?: unknown }).name === "string" && (image as File).name !== "" ? (image as File).name : "image");

interface Reply {
  status: number;
  body: unknown;
}

/**
 * `POST /api/products/{id}/images`: the one call of the API that is not a procedure (its body is multipart). Sent with
 * the session's access token; answered INVALID_TOKEN, it refreshes (shared with every other call, see Session) and
 * sends the form once more, like the procedures do.
 */
export function imageUploader(apiUrl: string, session: Session, fetchOption: unknown) {
  return async function uploadProductImage(productId: string, image: ImageData, options: UploadImageOptions = {}): Promise<UploadedImage> {
    const fetchImpl = (fetchOption ?? globalThis.fetch) as Fetch;
    const form = new FormData();
    form.append("image", toBlob(image), nameOf(image, options.filename));
    const url = `${apiUrl}/products/${encodeURIComponent(productId)}/images`;

    const send = async (token: string | undefined): Promise<Reply> => {
      try {
        // No Content-Type: fetch writes multipart/form-data with its boundary.
        const headers: Record<string, string> = { accept: "application/json", ...(token && { authorization: `Bearer ${token}` }) };
        const response = await fetchImpl(url, { method: "POST", body: form, headers, signal: options.signal });
        return { status: response.status, body: await response.json() };
      } catch (cause) {
        // No answer, or not the server's JSON (a proxy's HTML error page).
        const message = cause instanceof Error ? cause.message : "The upload failed.";
        throw new TesseraError(message, { code: "NETWORK_ERROR", cause: cause instanceof Error ? cause : undefined });
      }
    };

    let token = await session.accessToken();
    let reply = await send(token);
    if (isErrorBody(reply.body) && reply.body.code === "INVALID_TOKEN" && (await session.recover(token))) {
      token = await session.accessToken();
      reply = await send(token);
    }
    return answer(reply);
  };
}

/** tRPC's name and JSON-RPC number for the HTTP statuses the upload answers with, for the error's `shape`. */
const TRPC_CODES: Record<number, [string, number]> = {
  400: ["BAD_REQUEST", -32600], 401: ["UNAUTHORIZED", -32001], 403: ["FORBIDDEN", -32003], 404: ["NOT_FOUND", -32004],
  409: ["CONFLICT", -32009], 413: ["PAYLOAD_TOO_LARGE", -32013], 415: ["UNSUPPORTED_MEDIA_TYPE", -32015],
  429: ["TOO_MANY_REQUESTS", -32029],
};

type Shape = NonNullable<ConstructorParameters<typeof TesseraError>[1]["shape"]>;

function answer({ status, body }: Reply): UploadedImage {
  if (status < 300 && typeof body === "object" && body !== null && "data" in body) return (body as { data: UploadedImage }).data;
  if (!isErrorBody(body)) throw localError("NETWORK_ERROR", `HTTP ${status} without the API's error body.`);
  const { code, message, details } = body;
  const [trpcCode, number] = TRPC_CODES[status] ?? ["INTERNAL_SERVER_ERROR", -32603];
  // The same view of the error as a procedure's: `code`, `details`, and `data.httpStatus` / `data.appCode`.
  const shape = { message, code: number, data: { code: trpcCode, httpStatus: status, appCode: code, ...(details && { details }) } } as Shape;
  throw new TesseraError(message, { code, details, shape });
}
