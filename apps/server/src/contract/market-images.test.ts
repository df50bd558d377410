/** Product images over real HTTP (docs/contract.md "Products"): upload, read, delete, limits and refusals. */
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { request as httpRequest } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpcClient } from "../testing/clients.ts";
import { call, expectError, expectSuccess, login, type Reply, uniqueName } from "../testing/http.ts";
import { imageForm, jpeg, png, productOf, uploadImage, webp } from "../testing/images.ts";
import { documentedFetch, expectDocumented } from "../testing/openapi-check.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { createSuperuser } from "@tessera/api";
import { account } from "../testing/accounts.ts";

const MAX = 5 * 1024 * 1024;

let server: TestServer;
let seller: string;
let otherSeller: string;
let buyer: string;
let admin: string;
let productId: string;

const onboardedSeller = async (storeName: string) => (await account(server, { role: "seller", storeName })).token;
const newProduct = (token = seller) => productOf(server.url, token);
const upload = (token: string | undefined, product: string, body: FormData | { raw: Buffer; type: string }) => uploadImage(server.url, token, product, body);

const imagesFolder = () => path.join(server.config.dataDir, "images");
const storedFiles = () => (existsSync(imagesFolder()) ? readdirSync(imagesFolder()).sort() : []);
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

beforeAll(async () => {
  server = await startTestServer();
  [seller, otherSeller] = [await onboardedSeller("Prints & Co"), await onboardedSeller("Elsewhere")];
  buyer = (await account(server.url)).tokens.access_token;
  const username = uniqueName("root");
  await createSuperuser(server.services.db, server.services.passwords, { username, email: `${username}@example.com`, password: "Str0ng!Passw0rd" });
  admin = (await login(server.url, username)).access_token;
  productId = await newProduct();
});
afterAll(() => server?.stop());

describe("POST /api/products/{id}/images", () => {
  it.each([
    ["PNG", png(), "image/png"],
    ["JPEG", jpeg(), "image/jpeg"],
    ["WebP", webp(), "image/webp"],
  ])("stores a %s recognised by its content (not its name or declared type) and serves it back", async (_kind, bytes, type) => {
    const product = await newProduct();
    const reply = await upload(seller, product, imageForm(bytes, { filename: "photo.gif", type: "text/plain" }));
    expectSuccess(reply, 201);
    expect(reply.body).toEqual({ status: "success", message: "Image uploaded.", data: { image_id: expect.any(String), url: `/api/images/${reply.body.data.image_id}` } });
    const res = await documentedFetch(server.url, `${reply.body.data.url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(type);
    expect(res.headers.get("etag")).toBe(`"${sha256(bytes)}"`);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("content-length")).toBe(String(bytes.length));
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    const shown = await call(server.url, "GET", `/api/products/${product}`);
    expect(shown.body.data.images).toEqual([reply.body.data]);
  });

  it("keeps images in upload order, accepts exactly 5 MiB, and refuses a ninth with 409 TOO_MANY_IMAGES", async () => {
    const product = await newProduct();
    const uploaded: string[] = [];
    const exact = png([1, 2, 3, 255], MAX);
    expect(exact.length).toBe(MAX);
    for (let i = 0; i < 8; i++) {
      const reply = await upload(seller, product, imageForm(i === 0 ? exact : png([i, i, i, 255])));
      expectSuccess(reply, 201);
      uploaded.push(reply.body.data.image_id);
    }
    const shown = await call(server.url, "GET", `/api/products/${product}`);
    expect(shown.body.data.images.map((image: { image_id: string }) => image.image_id)).toEqual(uploaded);
    const big = await documentedFetch(server.url, `/api/images/${uploaded[0]}`);
    expect(Buffer.from(await big.arrayBuffer()).equals(exact)).toBe(true);
    expectError(await upload(seller, product, imageForm(png())), 409, "TOO_MANY_IMAGES");
    // Deleting one makes room again.
    expectSuccess(await call(server.url, "DELETE", `/api/products/${product}/images/${uploaded[3]}`, { token: seller }));
    expectSuccess(await upload(seller, product, imageForm(png())), 201);
  });

  it("refuses 5 MiB + 1 byte with 413 IMAGE_TOO_LARGE and keeps nothing of it", async () => {
    const before = storedFiles();
    expectError(await upload(seller, productId, imageForm(png([9, 9, 9, 255], MAX + 1))), 413, "IMAGE_TOO_LARGE");
    expect(storedFiles()).toEqual(before);
  });

  it("answers 413 while an oversized upload is still arriving: the limit is enforced as it streams, never after buffering it", async () => {
    const before = storedFiles();
    const boundary = `----tessera${randomUUID()}`;
    const reply = await new Promise<Reply>((resolve, reject) => {
      const req = httpRequest(`${server.url}/api/products/${productId}/images`, {
        method: "POST",
        headers: { authorization: `Bearer ${seller}`, "content-type": `multipart/form-data; boundary=${boundary}` },
      });
      req.on("response", (res) => {
        const parts: Buffer[] = [];
        res.on("data", (part: Buffer) => parts.push(part));
        res.on("end", () => {
          const text = Buffer.concat(parts).toString();
          resolve({ status: res.statusCode ?? 0, headers: new Headers(res.headers as Record<string, string>), text, body: JSON.parse(text) });
          req.destroy(); // the request body never ended: the answer came first
        });
      });
      req.on("error", reject);
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="huge.png"\r\nContent-Type: image/png\r\n\r\n`);
      // Past 5 MiB, but the whole body stays under what the route reads at most: the file's own count must stop it.
      req.write(png([4, 4, 4, 255], MAX + 16 * 1024)); // and the request is never ended
    });
    await expectDocumented(server.url, "POST", `/api/products/${productId}/images`, reply);
    expectError(reply, 413, "IMAGE_TOO_LARGE");
    expect(storedFiles()).toEqual(before);
  });

  it("refuses what is not a PNG, JPEG or WebP with 415, whatever its name says", async () => {
    const text = Buffer.from("Just some text, honestly.\n".repeat(10));
    expectError(await upload(seller, productId, imageForm(text, { filename: "photo.png", type: "image/png" })), 415, "UNSUPPORTED_MEDIA_TYPE");
    const gif = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");
    expectError(await upload(seller, productId, imageForm(gif, { filename: "photo.jpg", type: "image/jpeg" })), 415, "UNSUPPORTED_MEDIA_TYPE");
    expectError(await upload(seller, productId, imageForm(Buffer.alloc(0))), 415, "UNSUPPORTED_MEDIA_TYPE");
    // Not multipart at all: the raw bytes of a PNG, or JSON.
    expectError(await upload(seller, productId, { raw: png(), type: "image/png" }), 415, "UNSUPPORTED_MEDIA_TYPE");
    expectError(await upload(seller, productId, { raw: Buffer.from("{}"), type: "application/json" }), 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("refuses a multipart body without the file field `image`, or a malformed one, with 400 INVALID_REQUEST", async () => {
    const reply = await upload(seller, productId, imageForm(png(), { field: "picture" }));
    expectError(reply, 400, "INVALID_REQUEST");
    expect(reply.body.details).toEqual([{ path: "image", message: expect.any(String) }]);
    expectError(await upload(seller, productId, { raw: Buffer.from("--x\r\nnonsense"), type: "multipart/form-data; boundary=x" }), 400, "INVALID_REQUEST");
    expectError(await upload(seller, productId, { raw: Buffer.from("x"), type: "multipart/form-data" }), 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("authenticates (401); admins, who do not upload, get 403; anyone else who is not its seller 404, as for no product at all", async () => {
    const form = () => imageForm(png());
    const imagesBefore = (await call(server.url, "GET", `/api/products/${productId}`)).body.data.images;
    expectError(await upload(undefined, productId, form()), 401, "INVALID_TOKEN");
    expectError(await upload("not-a-token", "no-such-product", form()), 401, "INVALID_TOKEN");
    expectError(await upload(admin, productId, form()), 403, "FORBIDDEN");
    // docs/contract.md: on an existing product, anyone who is not its seller (or an admin) gets 404 PRODUCT_NOT_FOUND from
    // the write routes, the same answer as for a product that does not exist: a buyer as much as another seller.
    for (const stranger of [buyer, otherSeller]) {
      expectError(await upload(stranger, productId, form()), 404, "PRODUCT_NOT_FOUND");
      expectError(await upload(stranger, randomUUID(), form()), 404, "PRODUCT_NOT_FOUND");
    }
    // Validation comes before existence (docs/contract.md), for everyone alike: a body that is not multipart is 415.
    expectError(await upload(buyer, productId, { raw: Buffer.from("{}"), type: "application/json" }), 415, "UNSUPPORTED_MEDIA_TYPE");
    expectError(await upload(buyer, randomUUID(), { raw: Buffer.from("{}"), type: "application/json" }), 415, "UNSUPPORTED_MEDIA_TYPE");
    expectError(await upload(seller, randomUUID(), form()), 404, "PRODUCT_NOT_FOUND");
    expectError(await upload(seller, "%E0%A4%A", form()), 400, "INVALID_REQUEST");
    expect((await call(server.url, "GET", `/api/products/${productId}`)).body.data.images).toEqual(imagesBefore);
  });

  it("gives 404 to a former seller whose role an admin changed, even on their own product", async () => {
    const former = await onboardedSeller("Closed shop");
    const product = await newProduct(former);
    const { user_id } = (await call(server.url, "GET", "/api/me", { token: former })).body.data;
    expectSuccess(await call(server.url, "PATCH", `/api/admin/users/${user_id}`, { token: admin, json: { role: "user" } }));
    expectError(await upload(former, product, imageForm(png())), 404, "PRODUCT_NOT_FOUND");
  });

  it("routes first: 405 with Allow for other methods, 404 for unknown paths, and answers on a trailing slash", async () => {
    const reply = await call(server.url, "GET", `/api/products/${productId}/images`, { token: seller });
    expectError(reply, 405, "METHOD_NOT_ALLOWED");
    expect(reply.headers.get("allow")).toBe("POST");
    expectError(await call(server.url, "PUT", `/api/images/${randomUUID()}`), 405, "METHOD_NOT_ALLOWED");
    expectError(await call(server.url, "GET", `/api/products/${productId}/images/x/y`), 404, "NOT_FOUND");
    const res = await documentedFetch(server.url, `/api/products/${productId}/images/`, { method: "POST", headers: { authorization: `Bearer ${seller}` }, body: imageForm(png()) });
    expect(res.status).toBe(201);
  });
});

describe("GET /api/images/{image_id}", () => {
  let imageId: string;
  const bytes = png([10, 20, 30, 255]);
  beforeAll(async () => {
    imageId = (await upload(seller, productId, imageForm(bytes))).body.data.image_id;
  });

  it("answers If-None-Match with 304 and no body, HEAD with the headers only", async () => {
    const etag = `"${sha256(bytes)}"`;
    for (const condition of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const res = await documentedFetch(server.url, `/api/images/${imageId}`, { headers: { "if-none-match": condition } });
      expect(res.status, condition).toBe(304);
      expect(res.headers.get("etag")).toBe(etag);
      expect(await res.text()).toBe("");
    }
    const changed = await documentedFetch(server.url, `/api/images/${imageId}`, { headers: { "if-none-match": '"something-else"' } });
    expect(changed.status).toBe(200);
    expect(Buffer.from(await changed.arrayBuffer()).equals(bytes)).toBe(true);
    const head = await documentedFetch(server.url, `/api/images/${imageId}/`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("image/png");
    expect(head.headers.get("content-length")).toBe(String(bytes.length));
  });

  it("needs no token (and ignores a bad one), and is 404 IMAGE_NOT_FOUND for unknown ids, as JSON", async () => {
    const res = await documentedFetch(server.url, `/api/images/${imageId}`, { headers: { authorization: "Bearer garbage" } });
    expect(res.status).toBe(200);
    for (const id of [randomUUID(), "nope"]) {
      const reply = await call(server.url, "GET", `/api/images/${id}`);
      expectError(reply, 404, "IMAGE_NOT_FOUND");
      expect(reply.headers.get("cache-control")).toBe("no-store");
    }
    expectError(await call(server.url, "GET", "/api/images/%E0%A4%A"), 400, "INVALID_REQUEST");
  });
});

describe("DELETE /api/products/{id}/images/{image_id}", () => {
  it("lets its seller delete an image: the bytes go, the product forgets it, a second delete is 404 IMAGE_NOT_FOUND", async () => {
    const product = await newProduct();
    const { image_id } = (await upload(seller, product, imageForm(png()))).body.data;
    const before = storedFiles();
    const reply = await call(server.url, "DELETE", `/api/products/${product}/images/${image_id}`, { token: seller });
    expectSuccess(reply);
    expect(reply.body).toEqual({ status: "success", message: "Image deleted." });
    expect(storedFiles()).toEqual(before.filter((file) => file !== image_id));
    expectError(await call(server.url, "GET", `/api/images/${image_id}`), 404, "IMAGE_NOT_FOUND");
    expect((await call(server.url, "GET", `/api/products/${product}`)).body.data.images).toEqual([]);
    expectError(await call(server.url, "DELETE", `/api/products/${product}/images/${image_id}`, { token: seller }), 404, "IMAGE_NOT_FOUND");
  });

  it("lets admins delete images of any product; anyone else gets 404 PRODUCT_NOT_FOUND", async () => {
    const product = await newProduct();
    const { image_id } = (await upload(seller, product, imageForm(png()))).body.data;
    const path = `/api/products/${product}/images/${image_id}`;
    expectError(await call(server.url, "DELETE", path), 401, "INVALID_TOKEN");
    for (const stranger of [buyer, otherSeller]) expectError(await call(server.url, "DELETE", path, { token: stranger }), 404, "PRODUCT_NOT_FOUND");
    // An image of another product is not found under this one.
    const other = await newProduct();
    expectError(await call(server.url, "DELETE", `/api/products/${other}/images/${image_id}`, { token: seller }), 404, "IMAGE_NOT_FOUND");
    expectSuccess(await call(server.url, "DELETE", path, { token: admin }));
  });

  it("is the same procedure over tRPC", async () => {
    const product = await newProduct();
    const { image_id } = (await upload(seller, product, imageForm(webp()))).body.data;
    const client = trpcClient(server.url, seller);
    await expect(client.products.images.delete.mutate({ id: product, image_id })).resolves.toEqual({ status: "success", message: "Image deleted." });
    await expect(client.products.images.delete.mutate({ id: product, image_id })).rejects.toMatchObject({ data: { appCode: "IMAGE_NOT_FOUND", httpStatus: 404 } });
  });
});
