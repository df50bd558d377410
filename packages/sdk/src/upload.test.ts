/** uploadProductImage against a live server: the multipart REST route, with the client's tokens and errors. */
import { png } from "@tessera/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, countingFetch, liveServer, nextSecond, signedIn, type TestServer } from "../test/helpers.ts";
import { type TesseraClient, TesseraError } from "./index.ts";

let server: TestServer;
beforeAll(async () => {
  // Access tokens live a second, for the refresh test; the others finish well within one.
  server = await liveServer({ ACCESS_TOKEN_TTL_SECONDS: "1" });
});
afterAll(() => server.stop());

/** A signed-in seller with one product. */
async function sellerWithProduct(options: Parameters<typeof signedIn>[1] = {}) {
  const { tessera } = await signedIn(server, options);
  await tessera.seller.onboard.mutate({ store_name: "Upload test store" });
  const { data: product } = await tessera.products.create.mutate({ name: "Teapot", price_cents: 1200, stock: 1 });
  return { tessera, product };
}

async function failure(promise: Promise<unknown>): Promise<TesseraError> {
  const error = await promise.then(() => expect.unreachable("should have rejected"), (e: unknown) => e);
  expect(error).toBeInstanceOf(TesseraError);
  return error as TesseraError;
}

const imagesOf = async (tessera: TesseraClient, id: string) => (await tessera.products.get.query({ id })).data.images.map((i) => i.image_id);

describe("uploadProductImage", () => {
  it("uploads a Node Buffer and a Blob; the product lists both, and the URL serves the bytes", async () => {
    const { tessera, product } = await sellerWithProduct();
    const bytes = png([10, 120, 200, 255]);
    const first = await tessera.uploadProductImage(product.id, bytes);
    expect(first).toEqual({ image_id: expect.any(String), url: `/api/images/${first.image_id}` });
    const second = await tessera.uploadProductImage(product.id, new Blob([png([1, 2, 3, 255])], { type: "image/png" }), { filename: "b.png" });
    expect(await imagesOf(tessera, product.id)).toEqual([first.image_id, second.image_id]);

    const served = await fetch(`${server.url}${first.url}`);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("rejects with the API's code, message and HTTP status: bytes that are no image, another seller's product", async () => {
    const { tessera, product } = await sellerWithProduct();
    const notImage = await failure(tessera.uploadProductImage(product.id, new TextEncoder().encode("just text"), { filename: "a.png" }));
    expect(notImage).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE", data: { httpStatus: 415, appCode: "UNSUPPORTED_MEDIA_TYPE" } });
    expect(notImage.message.length).toBeGreaterThan(0);

    const other = await sellerWithProduct();
    const foreign = await failure(other.tessera.uploadProductImage(product.id, png()));
    expect(foreign.code).toMatch(/^(PRODUCT_NOT_FOUND|FORBIDDEN)$/);
    expect(await imagesOf(tessera, product.id)).toEqual([]);
  });

  it("refreshes an expired access token once and sends the form again", async () => {
    const counter = countingFetch();
    const { tessera, product } = await sellerWithProduct({ fetch: counter.fetch });
    await nextSecond();
    const before = counter.requests.length;
    const image = await tessera.uploadProductImage(product.id, png());
    expect(counter.refreshes()).toBe(1);
    // The refused upload, the refresh, the upload again.
    expect(counter.requests.slice(before).map((paths) => paths.join())).toEqual([
      `/api/products/${product.id}/images`, "auth.refresh", `/api/products/${product.id}/images`,
    ]);
    expect(await imagesOf(tessera, product.id)).toEqual([image.image_id]);
  });

  it("signed out: INVALID_TOKEN; nothing answering: NETWORK_ERROR", async () => {
    const { tessera, product } = await sellerWithProduct();
    expect((await failure(client(server).uploadProductImage(product.id, png()))).code).toBe("INVALID_TOKEN");
    const gone = await liveServer();
    await gone.stop();
    const offline = client(gone);
    await offline.setTokens(await tessera.getTokens());
    const error = await failure(offline.uploadProductImage(product.id, png()));
    expect(error.code).toBe("NETWORK_ERROR");
    expect(error.cause).toBeInstanceOf(Error);
  });
});
