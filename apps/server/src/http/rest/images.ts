import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  AppError, authorizeImageUpload, httpStatusOf, imageForRead, productForUpload, type Services, storeImage, toErrorEnvelope,
} from "@tessera/api";
import { MAX_IMAGE_BYTES } from "@tessera/config";
import busboy from "busboy";
import type { Logger } from "pino";
import { discardBody } from "../body.ts";
import { contextFor, type RequestFacts } from "../request-context.ts";
import { type Request, type Response, sendJson } from "../send.ts";
import { pathParameters } from "./input.ts";
import type { RestRoute } from "./routes.ts";

/**
 * The two REST routes that are not tRPC procedures, because their bodies are not JSON (httpRoutes in ./routes.ts):
 * POST /api/products/{id}/images (multipart upload) and GET /api/images/{image_id} (the bytes). The dispatcher
 * routes to them (404/405 first); the steps and rules are the api package's, this file only speaks HTTP.
 */

/** A multipart body may carry a little more than the file (its headers, small fields); anything beyond is refused. */
const MAX_BODY_BYTES = MAX_IMAGE_BYTES + 64 * 1024;
/** What is read and thrown away after an early answer, so the client can read it; past this the connection is cut. */
const DISCARD_BYTES = MAX_IMAGE_BYTES + 1024 * 1024;
/** A year: an image's bytes never change under its id (a new upload is a new id), so caches may keep them. */
const IMMUTABLE = "public, max-age=31536000, immutable";

const imageTooLarge = () => new AppError("IMAGE_TOO_LARGE", `The upload is larger than ${MAX_IMAGE_BYTES} bytes (5 MiB).`);
const badMultipart = (message: string) =>
  new AppError("INVALID_REQUEST", `Invalid request. Invalid fields: image. ${message}`, { details: [{ path: "image", message }] });

/** RFC 9110 If-None-Match: `*`, or a listed tag equal to the ETag under the weak comparison. */
const noneMatch = (header: string | undefined, etag: string) =>
  header !== undefined && (header.trim() === "*" || header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag));

/**
 * Reads a multipart body and hands the one file field `image` to `store` as a stream, as it arrives. Other
 * fields and files are skipped. Rejects as soon as `store` does (415, 413), when the whole body grows past
 * MAX_BODY_BYTES, when the body is not valid multipart, or when it ends without an `image` file.
 */
function receiveImage<T>(req: Request, store: (file: Readable) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: MAX_IMAGE_BYTES + 1, fieldSize: 64 * 1024, fields: 32, parts: 64, headerPairs: 32 },
      });
    } catch {
      reject(badMultipart("The body is not multipart/form-data with a boundary."));
      return;
    }
    let image: Readable | undefined;
    let stored: Promise<T> | undefined;
    let failed = false;
    // Stops reading and ends the store with the same error; answers once the store has cleaned up after itself.
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      image?.destroy(error as Error);
      if (stored) stored.then(() => reject(error), () => reject(error));
      else reject(error);
    };
    let received = 0;
    req.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_BODY_BYTES) fail(imageTooLarge());
    });
    parser.on("file", (name, file) => {
      if (name !== "image" || stored) return void file.resume();
      image = file;
      stored = store(file);
      stored.catch(fail);
    });
    parser.on("error", () => fail(badMultipart("The multipart body is malformed.")));
    parser.on("close", () => {
      if (stored) stored.then(resolve, fail);
      else fail(badMultipart("Send the image as the file field `image`."));
    });
    req.pipe(parser);
  });
}

const isMultipart = (req: Request) => /^multipart\/form-data\s*;/i.test(req.headers["content-type"] ?? "");

type ImageHandler = (req: Request, res: Response, facts: RequestFacts, route: RestRoute, rawParameters: string[]) => Promise<void>;

export function imageRoutes(services: Services, logger: Logger): ImageHandler {
  const upload: ImageHandler = async (req, res, facts, route, rawParameters) => {
    const ctx = contextFor(services, req, facts);
    const identity = await authorizeImageUpload(ctx);
    if (!isMultipart(req)) throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send multipart/form-data with the image as the file field `image`.");
    if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) throw imageTooLarge();
    const { id } = pathParameters(route, rawParameters);
    const product = await productForUpload(ctx, identity, id!);
    const answer = await receiveImage(req, (file) => storeImage(ctx, product.id, file));
    sendJson(res, 201, answer);
  };

  const read: ImageHandler = async (req, res, facts, route, rawParameters) => {
    const { image_id: imageId } = pathParameters(route, rawParameters);
    const image = await imageForRead(contextFor(services, req, facts), imageId!);
    const cacheable = () => {
      res.setHeader("ETag", image.etag);
      res.setHeader("Cache-Control", IMMUTABLE);
      // helmet's same-origin default would stop pages on other origins from showing product images.
      res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
    };
    // Not a framework's freshness check: those ignore If-None-Match when the request says Cache-Control: no-cache (as fetch() does).
    if (noneMatch(req.headers["if-none-match"], image.etag)) {
      cacheable();
      res.statusCode = 304;
      return void res.end();
    }
    const bytes = await image.open(); // before any header: a failure here is still an ordinary (uncached) error
    cacheable();
    res.setHeader("Content-Type", image.contentType);
    res.setHeader("Content-Length", String(image.byteSize));
    await pipeline(bytes, res);
  };

  // By the name httpRoutes (./routes.ts) gives each route: its path template is written there only.
  const handlers: Record<string, ImageHandler> = { "products.images.upload": upload, "images.get": read };

  return async (req, res, facts, route, rawParameters) => {
    try {
      await handlers[route.procedurePath]!(req, res, facts, route, rawParameters);
    } catch (error) {
      if (res.headersSent) {
        logger.warn({ err: error, reqId: facts.requestId }, "image response failed after its headers");
        return void res.destroy();
      }
      const known = error instanceof AppError;
      if (!known) logger.error({ err: error, reqId: facts.requestId }, "image route failed");
      const envelope = toErrorEnvelope(known ? error : new AppError("INTERNAL_SERVER_ERROR", "Internal server error."));
      sendJson(res, httpStatusOf(envelope.code), envelope);
      discardBody(req, DISCARD_BYTES);
    }
  };
}
