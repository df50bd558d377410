/** Sellers, products and categories over real HTTP (docs/contract.md "Roles" and "Products"), REST and tRPC. */
import { randomUUID } from "node:crypto";
import { createSuperuser } from "@tessera/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpcClient } from "../testing/clients.ts";
import { call, type CallOptions, detailPaths, expectError, expectSuccess, login, uniqueName } from "../testing/http.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { account } from "../testing/accounts.ts";

let server: TestServer;
let seller: string;
let sellerId: string;
let otherSeller: string;
let buyer: string;
let admin: string;

const api = (method: string, path: string, options: CallOptions = {}) => call(server.url, method, `/api${path}`, options);
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const PRODUCT_KEYS = ["categories", "created_at", "currency", "description", "id", "images", "name", "price_cents", "seller", "status", "stock", "updated_at"];

async function create(token: string, body: Record<string, unknown>) {
  const reply = await api("POST", "/products", { token, json: body });
  expectSuccess(reply, 201);
  return reply.body.data;
}

beforeAll(async () => {
  server = await startTestServer();
  const users = await Promise.all([account(server.url), account(server.url), account(server.url)]);
  [seller, otherSeller, buyer] = users.map((user) => user.tokens.access_token) as [string, string, string];
  sellerId = users[0]!.data.user_id;
  const username = uniqueName("root");
  await createSuperuser(server.services.db, server.services.passwords, { username, email: `${username}@example.com`, password: "Str0ng!Passw0rd" });
  admin = (await login(server.url, username)).access_token;
});
afterAll(() => server?.stop());

describe("POST /api/seller/onboard", () => {
  it("answers 201 with the caller as a seller, then 409 ALREADY_SELLER", async () => {
    const reply = await api("POST", "/seller/onboard", { token: seller, json: { store_name: "Lamp Works" } });
    expectSuccess(reply, 201);
    expect(reply.body).toEqual({
      status: "success",
      message: "You are now a seller.",
      data: expect.objectContaining({ user_id: sellerId, role: "seller", store_name: "Lamp Works", created_at: expect.stringMatching(ISO_UTC) }),
    });
    expect((await api("GET", "/me", { token: seller })).body.data.role).toBe("seller");
    expectError(await api("POST", "/seller/onboard/", { token: seller, json: { store_name: "Again" } }), 409, "ALREADY_SELLER");
    expectSuccess(await api("POST", "/seller/onboard", { token: otherSeller, json: { store_name: "Elsewhere" } }), 201);
  });

  it("checks the token (401), then the role (admins: 403), then the body (400)", async () => {
    expectError(await api("POST", "/seller/onboard", { json: { store_name: "X" } }), 401, "INVALID_TOKEN");
    expectError(await api("POST", "/seller/onboard", { token: admin, json: { store_name: "Admin's" } }), 403, "FORBIDDEN");
    expectError(await api("POST", "/seller/onboard", { token: admin, raw: "{not json" }), 403, "FORBIDDEN");
    const reply = await api("POST", "/seller/onboard", { token: buyer, json: { store_name: "  " } });
    expectError(reply, 400, "INVALID_REQUEST");
    expect(detailPaths(reply)).toEqual(["store_name"]);
    expectError(await api("POST", "/seller/onboard", { token: buyer, json: {} }), 400, "INVALID_REQUEST");
    expectError(await api("GET", "/seller/onboard", { token: buyer }), 405, "METHOD_NOT_ALLOWED");
  });

  it("admins can make anyone a seller through the admin routes (store_name then null)", async () => {
    const user = await account(server.url);
    expectSuccess(await api("PATCH", `/admin/users/${user.data.user_id}`, { token: admin, json: { role: "seller" } }));
    const product = await create(user.tokens.access_token, { name: "Made by a seller without a store", price_cents: 1 });
    expect(product.seller).toEqual({ user_id: user.data.user_id, store_name: null });
    expectSuccess(await api("GET", "/admin/users?role=seller", { token: admin }));
  });
});

describe("products over REST", () => {
  it("POST /api/products: 201 with the product; users and admins 403; bad fields 400", async () => {
    const reply = await api("POST", "/products/", { token: seller, json: { name: "Desk lamp", price_cents: 4_999, stock: 2, categories: ["Lighting"], extra: 1 } });
    expectSuccess(reply, 201);
    expect(reply.body.message).toBe("Product created.");
    expect(Object.keys(reply.body.data).sort()).toEqual(PRODUCT_KEYS);
    expect(reply.body.data).toMatchObject({
      seller: { user_id: sellerId, store_name: "Lamp Works" }, currency: "USD", categories: ["lighting"], images: [], status: "active",
      created_at: expect.stringMatching(ISO_UTC),
    });
    expectError(await api("POST", "/products", { token: buyer, json: { name: "x", price_cents: 1 } }), 403, "FORBIDDEN");
    expectError(await api("POST", "/products", { token: admin, json: {} }), 403, "FORBIDDEN");
    expectError(await api("POST", "/products", { json: { name: "x", price_cents: 1 } }), 401, "INVALID_TOKEN");
    const bad = await api("POST", "/products", { token: seller, json: { name: "", price_cents: 1.5, currency: "usd", stock: -1 } });
    expectError(bad, 400, "INVALID_REQUEST");
    expect(detailPaths(bad).sort()).toEqual(["currency", "name", "price_cents", "stock"]);
    expectError(await api("POST", "/products", { token: seller, json: { name: "x" } }), 400, "INVALID_REQUEST");
    expectError(await api("POST", "/products", { token: seller, raw: "[1]" }), 400, "INVALID_REQUEST");
  });

  it("takes price_cents up to 10^12 and answers it exactly; beyond is 400 INVALID_REQUEST naming the field", async () => {
    const TRILLION = 1_000_000_000_000;
    for (const price of [100_000_001, 2 ** 32 + 1, TRILLION - 1, TRILLION]) {
      const product = await create(seller, { name: `Price ${price}`, price_cents: price, categories: ["dear"] });
      expect(product.price_cents).toBe(price);
      expect((await api("GET", `/products/${product.id}`)).body.data.price_cents).toBe(price);
    }
    const cheap = await create(seller, { name: "Then dearer", price_cents: 1 });
    const patched = await api("PATCH", `/products/${cheap.id}`, { token: seller, json: { price_cents: TRILLION } });
    expectSuccess(patched);
    expect(patched.body.data.price_cents).toBe(TRILLION);
    // The catalog filters and sorts on the 64-bit column.
    const listed = await api("GET", `/products?category=dear&min_price=${TRILLION - 1}&sort=-price&limit=10`);
    expect(listed.body.data.items.map((p: { price_cents: number }) => p.price_cents)).toEqual([TRILLION, TRILLION - 1]);
    for (const [method, path, body] of [
      ["POST", "/products", { name: "Too dear", price_cents: TRILLION + 1 }],
      ["PATCH", `/products/${cheap.id}`, { price_cents: TRILLION + 1 }],
      ["PUT", `/products/${cheap.id}`, { price_cents: 2 ** 53 }],
    ] as const) {
      const refused = await api(method, path, { token: seller, json: body });
      expectError(refused, 400, "INVALID_REQUEST");
      expect(new Set(detailPaths(refused))).toEqual(new Set(["price_cents"]));
      expect(refused.body.message).toContain("price_cents");
    }
    expect((await api("GET", `/products/${cheap.id}`)).body.data.price_cents).toBe(TRILLION);
  });

  it("GET /api/products/{id}: anyone sees active products; archived ones only their seller and admins", async () => {
    const product = await create(seller, { name: "Archivable", price_cents: 100 });
    for (const token of [undefined, buyer]) expectSuccess(await api("GET", `/products/${product.id}`, { token }));
    const archived = await api("DELETE", `/products/${product.id}/`, { token: seller });
    expectSuccess(archived);
    expect(archived.body).toMatchObject({ message: "Product archived.", data: { status: "archived" } });
    for (const token of [undefined, buyer, otherSeller]) expectError(await api("GET", `/products/${product.id}`, { token }), 404, "PRODUCT_NOT_FOUND");
    for (const token of [seller, admin]) expect((await api("GET", `/products/${product.id}`, { token })).body.data.status).toBe("archived");
    expectError(await api("GET", `/products/${product.id}`, { token: "garbage" }), 401, "INVALID_TOKEN");
    expectError(await api("GET", `/products/${randomUUID()}`), 404, "PRODUCT_NOT_FOUND");
    expectError(await api("GET", "/products/%E0%A4%A"), 400, "INVALID_REQUEST");
  });

  it.each(["PUT", "PATCH"])("%s /api/products/{id}: partial update by its seller or an admin; others 404", async (method) => {
    const product = await create(seller, { name: "Mug", price_cents: 900, stock: 5, categories: ["kitchen"] });
    const path = `/products/${product.id}`;
    const reply = await api(method, path, { token: seller, json: { price_cents: 950 } });
    expectSuccess(reply);
    expect(reply.body).toMatchObject({ message: "Product updated.", data: { name: "Mug", price_cents: 950, stock: 5, categories: ["kitchen"] } });
    expectSuccess(await api(method, path, { token: admin, json: { name: "Moderated mug" } }));
    for (const token of [buyer, otherSeller]) expectError(await api(method, path, { token, json: { name: "Mine" } }), 404, "PRODUCT_NOT_FOUND");
    expectError(await api(method, path, { json: { name: "x" } }), 401, "INVALID_TOKEN");
    expectError(await api(method, path, { token: seller, json: { stock: "many" } }), 400, "INVALID_REQUEST");
    expect((await api("GET", path)).body.data).toMatchObject({ name: "Moderated mug", price_cents: 950 });
  });

  it("DELETE /api/products/{id}: others get 404 PRODUCT_NOT_FOUND; admins may archive any product", async () => {
    const product = await create(seller, { name: "Chair", price_cents: 5_000 });
    for (const token of [buyer, otherSeller]) expectError(await api("DELETE", `/products/${product.id}`, { token }), 404, "PRODUCT_NOT_FOUND");
    expectSuccess(await api("DELETE", `/products/${product.id}`, { token: admin }));
  });

  it("GET /api/products: query values are text on the wire, checked like any input", async () => {
    await create(seller, { name: "Pricey vase", price_cents: 12_345_678, stock: 1, categories: ["Decor"] });
    const reply = await api("GET", "/products?min_price=12345678&max_price=99999999&in_stock=true&category=DECOR&sort=-price&limit=5");
    expectSuccess(reply);
    expect(reply.body.data.items.map((p: { name: string }) => p.name)).toEqual(["Pricey vase"]);
    expect(reply.body.data.next_cursor).toBeNull();
    const byseller = await api("GET", `/products/?seller=${sellerId}&q=VASE`);
    expect(byseller.body.data.items).toHaveLength(1);
    for (const query of ["limit=0", "limit=abc", "min_price=-1", "min_price=1.5", "max_price=0x10", "in_stock=1", "sort=price_cents", "cursor=zzz", "min_price=5&max_price=4", "category="]) {
      expectError(await api("GET", `/products?${query}`), 400, "INVALID_REQUEST");
    }
    const first = await api("GET", "/products?limit=1&sort=name");
    const next = await api("GET", `/products?limit=1&sort=name&cursor=${first.body.data.next_cursor}`);
    expectSuccess(next);
    expect(next.body.data.items[0].id).not.toBe(first.body.data.items[0].id);
  });

  it("GET /api/categories: {items: [{name, count}]} of active products by name, not paged", async () => {
    const reply = await api("GET", "/categories/");
    expectSuccess(reply);
    expect(Object.keys(reply.body.data)).toEqual(["items"]);
    const names = reply.body.data.items.map((c: { name: string }) => c.name);
    expect(names).toEqual([...names].sort());
    expect(reply.body.data.items).toContainEqual({ name: "decor", count: 1 });
    expectError(await api("POST", "/categories", { token: seller, json: {} }), 405, "METHOD_NOT_ALLOWED");
  });

  it("routes first: 405 with Allow on known paths, 404 on unknown ones, whether or not a token was sent", async () => {
    const reply = await api("POST", `/products/${randomUUID()}`, { token: seller, json: {} });
    expectError(reply, 405, "METHOD_NOT_ALLOWED");
    expect(reply.headers.get("allow")?.split(", ").sort()).toEqual(["DELETE", "GET", "HEAD", "PATCH", "PUT"]);
    expectError(await api("GET", "/seller"), 404, "NOT_FOUND");
    expectError(await api("DELETE", "/products"), 405, "METHOD_NOT_ALLOWED");
  });
});

describe("documentation and limits", () => {
  it("documents every marketplace route in /api/openapi.json with its codes, the two plain HTTP routes included", async () => {
    const document = (await api("GET", "/openapi.json")).body;
    const operation = (path: string, method: string) => document.paths[path]?.[method];
    const statuses = (path: string, method: string) => Object.keys(operation(path, method)?.responses ?? {}).sort();
    const upload = operation("/products/{id}/images", "post");
    expect(upload.requestBody.content["multipart/form-data"].schema.required).toEqual(["image"]);
    // 503: the image storage does not answer (an S3 endpoint down).
    expect(statuses("/products/{id}/images", "post")).toEqual(["201", "400", "401", "403", "404", "409", "413", "415", "500", "503"]);
    expect(upload.responses["413"].description).toBe("IMAGE_TOO_LARGE");
    expect(Object.keys(operation("/images/{image_id}", "get").responses["200"].content).sort()).toEqual(["image/jpeg", "image/png", "image/webp"]);
    expect(statuses("/images/{image_id}", "get")).toEqual(["200", "304", "400", "404", "500", "503"]);
    expect(statuses("/products", "post")).toEqual(["201", "400", "401", "403", "409", "413", "500"]);
    expect(operation("/seller/onboard", "post").responses["409"].description).toBe("ALREADY_SELLER");
    expect(operation("/products/{id}/images/{image_id}", "delete").responses["404"].description).toBe("PRODUCT_NOT_FOUND, IMAGE_NOT_FOUND");
    for (const [path, method] of [["/products", "get"], ["/products/{id}", "get"], ["/products/{id}", "put"], ["/products/{id}", "patch"], ["/products/{id}", "delete"], ["/categories", "get"]]) {
      expect(operation(path!, method!), `${method} ${path}`).toBeDefined();
    }
  });

  it("refuses a JSON body over 1 MiB with 413 PAYLOAD_TOO_LARGE", async () => {
    const reply = await api("POST", "/products", { token: seller, json: { name: "big", price_cents: 1, description: "x".repeat(1024 * 1024) } });
    expectError(reply, 413, "PAYLOAD_TOO_LARGE");
    expectError(await api("DELETE", `/products/${randomUUID()}`), 401, "INVALID_TOKEN");
  });
});

describe("the same procedures over tRPC", () => {
  it("create, get, patch, list, archive and categories, with the REST codes as appCode", async () => {
    const client = trpcClient(server.url, seller);
    const { data: product } = await client.products.create.mutate({ name: "Via tRPC", price_cents: 10, categories: ["Trpc"] });
    expect((await trpcClient(server.url).products.get.query({ id: product.id })).data.name).toBe("Via tRPC");
    expect((await client.products.patch.mutate({ id: product.id, stock: 7 })).data.stock).toBe(7);
    expect((await trpcClient(server.url).products.list.query({ q: "via trpc" })).data.items.map((p) => p.id)).toEqual([product.id]);
    expect((await trpcClient(server.url).categories.list.query()).data.items).toContainEqual({ name: "trpc", count: 1 });
    expect((await client.products.delete.mutate({ id: product.id })).data.status).toBe("archived");
    await expect(trpcClient(server.url, buyer).products.create.mutate({ name: "x", price_cents: 1 })).rejects.toMatchObject({ data: { appCode: "FORBIDDEN" } });
    await expect(trpcClient(server.url).products.get.query({ id: product.id })).rejects.toMatchObject({ data: { appCode: "PRODUCT_NOT_FOUND", httpStatus: 404 } });
    await expect(trpcClient(server.url, seller).seller.onboard.mutate({ store_name: "x" })).rejects.toMatchObject({ data: { appCode: "ALREADY_SELLER", httpStatus: 409 } });
  });
});
