/** Image upload helpers over real HTTP: a seller with a product, a multipart upload, an image's bytes. */
import { call, expectSuccess, type Reply, userWithSession } from "./http.ts";
import { imageForm } from "./images.ts";

/** A new user made a seller; their access token. */
export async function sellerToken(url: string, storeName = "Image Store"): Promise<string> {
  const token = (await userWithSession(url)).tokens.access_token;
  expectSuccess(await call(url, "POST", "/api/seller/onboard", { token, json: { store_name: storeName } }), 201);
  return token;
}

/** A product of the seller's; its id. */
export async function productOf(url: string, token: string): Promise<string> {
  const reply = await call(url, "POST", "/api/products", { token, json: { name: "Framed print", price_cents: 2_500, stock: 4 } });
  expectSuccess(reply, 201);
  return reply.body.data.id;
}

/** POST /api/products/{id}/images with the bytes as the multipart file field `image`. */
export async function uploadImage(url: string, token: string, productId: string, bytes: Buffer): Promise<Reply> {
  const res = await fetch(`${url}/api/products/${productId}/images`, {
    method: "POST", headers: { authorization: `Bearer ${token}` }, body: imageForm(bytes),
  });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}
