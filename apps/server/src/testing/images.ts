/**
 * Real image files for the upload tests, made here: a PNG built chunk by chunk (any size, exactly), and the
 * smallest well-known JPEG and WebP files (a 1×1 JPEG; a 1×1 lossless WebP); and their upload over real HTTP.
 */
import { deflateSync } from "node:zlib";
import { PNG_SIGNATURE, pngChunk } from "@tessera/api/testing";
import { call, expectSuccess, type Reply } from "./http.ts";
import { documentedFetch, parseJson } from "./openapi-check.ts";

// 1×1, 8-bit RGBA.
const IHDR = pngChunk("IHDR", Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]));
const IEND = pngChunk("IEND", Buffer.alloc(0));
const CHUNK_OVERHEAD = 12;

/** A valid 1×1 PNG of one colour; with `totalBytes`, padded to exactly that size by a tEXt comment chunk. */
export function png(rgba: [number, number, number, number] = [200, 30, 60, 255], totalBytes?: number): Buffer {
  const idat = pngChunk("IDAT", deflateSync(Buffer.from([0, ...rgba])));
  const bare = Buffer.concat([PNG_SIGNATURE, IHDR, idat, IEND]);
  if (totalBytes === undefined) return bare;
  const keyword = Buffer.from("Comment\0", "latin1");
  const fill = totalBytes - bare.length - CHUNK_OVERHEAD - keyword.length;
  if (fill < 0) throw new Error(`A PNG cannot be as small as ${totalBytes} bytes.`);
  const text = pngChunk("tEXt", Buffer.concat([keyword, Buffer.alloc(fill, "x")]));
  return Buffer.concat([PNG_SIGNATURE, IHDR, idat, text, IEND]);
}

/**
 * A 1×1 JPEG: the smallest widely used one, with the end-of-image marker (FF D9) it leaves out and that uploads
 * must have (an image is refused when it stops early or something follows its end).
 */
export const jpeg = (): Buffer =>
  Buffer.concat([
    Buffer.from(
      "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////" +
        "wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=",
      "base64",
    ),
    Buffer.from([0xff, 0xd9]),
  ]);

/** A 1×1 lossless WebP. */
export const webp = (): Buffer => Buffer.from("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==", "base64");

/** A multipart/form-data body, as FormData: the file field `image` (or another name) with the given name and type. */
export function imageForm(bytes: Buffer, options: { field?: string; filename?: string; type?: string } = {}): FormData {
  const form = new FormData();
  form.append("note", "ignored text field");
  form.append(options.field ?? "image", new Blob([new Uint8Array(bytes)], { type: options.type ?? "application/octet-stream" }), options.filename ?? "upload.bin");
  return form;
}

// ---------------------------------------------------------------------------------------------
// Uploads over real HTTP

/** A product of the seller's (POST /api/products); its id. */
export async function productOf(url: string, token: string): Promise<string> {
  const reply = await call(url, "POST", "/api/products", { token, json: { name: "Framed print", price_cents: 2_500, stock: 4 } });
  expectSuccess(reply, 201);
  return reply.body.data.id;
}

/**
 * POST /api/products/{id}/images, the answer checked against the OpenAPI document: bytes go as the multipart file
 * field `image`; a FormData as it is; `{ raw, type }` as a body of that content type.
 */
export async function uploadImage(url: string, token: string | undefined, productId: string, body: Buffer | FormData | { raw: Buffer; type: string }): Promise<Reply> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const init = Buffer.isBuffer(body)
    ? { body: imageForm(body) }
    : body instanceof FormData ? { body } : { body: new Uint8Array(body.raw), headers: { ...headers, "content-type": body.type } };
  const res = await documentedFetch(url, `/api/products/${productId}/images`, { method: "POST", headers, ...init });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: parseJson(text) };
}
