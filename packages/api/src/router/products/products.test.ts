/** products.* and seller.onboard through createCaller: roles, visibility, writes, archive, validation. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { account, appCodeOf, type Caller, createTestServices, rejection, signedInCaller, type TestEnv } from "../../testing/index.ts";

let env: TestEnv;
let seller: Caller;
let otherSeller: Caller;
let buyer: Caller;
let admin: Caller;
let sellerId: string;

const newProduct = { name: "Walnut Desk Lamp", description: "Warm light", price_cents: 4_999, stock: 3, categories: ["Lighting", "home", "HOME"] };

beforeAll(async () => {
  env = await createTestServices();
  ({ caller: seller, id: sellerId } = await account(env, { role: "seller", storeName: "Lamp Works" }));
  ({ caller: otherSeller } = await account(env, { role: "seller", storeName: "Other Store" }));
  buyer = await signedInCaller(env);
  admin = (await account(env, { role: "admin" })).caller;
});
afterAll(() => env.cleanup());

describe("seller.onboard", () => {
  it("makes a user a seller at once, with their store name; a second time is ALREADY_SELLER", async () => {
    const user = await signedInCaller(env);
    const { data, message } = await user.seller.onboard({ store_name: "Fresh Shop" });
    expect(message).toBe("You are now a seller.");
    expect(data).toMatchObject({ role: "seller", store_name: "Fresh Shop" });
    expect((await user.auth.me()).data.role).toBe("seller");
    expect(await appCodeOf(user.seller.onboard({ store_name: "Again" }))).toBe("ALREADY_SELLER");
  });

  it("lets exactly one of two concurrent onboardings through", async () => {
    const user = await signedInCaller(env);
    const results = await Promise.allSettled([user.seller.onboard({ store_name: "A" }), user.seller.onboard({ store_name: "B" })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("refuses admins (403, before validation), anonymous callers (401) and blank or long store names (400)", async () => {
    expect(await appCodeOf(admin.seller.onboard({ store_name: "Admin Shop" }))).toBe("FORBIDDEN");
    expect(await appCodeOf(admin.seller.onboard({ store_name: "" }))).toBe("FORBIDDEN");
    expect(await appCodeOf(env.caller().seller.onboard({ store_name: "X" }))).toBe("INVALID_TOKEN");
    const user = await signedInCaller(env);
    for (const store_name of ["", "   ", "x".repeat(101), "a\u0000b"]) {
      const error = await rejection(user.seller.onboard({ store_name }));
      expect(error.appCode).toBe("INVALID_REQUEST");
      expect(error.details?.[0]?.path).toBe("store_name");
    }
    expect((await user.seller.onboard({ store_name: "🦄".repeat(100) })).data.store_name).toBe("🦄".repeat(100));
  });
});

describe("products.create", () => {
  it("creates a product for a seller: defaults, categories lower-cased once, seller with store name", async () => {
    const { data, message } = await seller.products.create(newProduct);
    expect(message).toBe("Product created.");
    expect(data).toMatchObject({
      seller: { user_id: sellerId, store_name: "Lamp Works" },
      name: "Walnut Desk Lamp",
      price_cents: 4_999,
      currency: "USD",
      stock: 3,
      categories: ["home", "lighting"],
      images: [],
      status: "active",
    });
    expect(data.created_at).toBe(data.updated_at);
    const minimal = (await seller.products.create({ name: "Free sample", price_cents: 0 })).data;
    expect(minimal).toMatchObject({ description: "", stock: 0, categories: [], currency: "USD" });
  });

  it("is for sellers only: users and admins get 403 before their input is validated", async () => {
    expect(await appCodeOf(buyer.products.create(newProduct))).toBe("FORBIDDEN");
    expect(await appCodeOf(admin.products.create({} as never))).toBe("FORBIDDEN");
    expect(await appCodeOf(env.caller().products.create(newProduct))).toBe("INVALID_TOKEN");
  });

  it.each([
    ["name", { name: "" }], ["name", { name: " " }], ["name", { name: "n".repeat(201) }],
    ["description", { description: "d".repeat(10_001) }],
    ["price_cents", { price_cents: -1 }], ["price_cents", { price_cents: 1.5 }], ["price_cents", { price_cents: "100" }],
    ["price_cents", { price_cents: 1_000_000_000_001 }], ["currency", { currency: "usd" }], ["currency", { currency: "ABC" }],
    ["currency", { currency: "EURO" }], ["stock", { stock: -1 }], ["stock", { stock: 2.5 }], ["stock", { stock: true }],
    ["categories", { categories: "home" }], ["categories", { categories: Array.from({ length: 11 }, (_, i) => `c${i}`) }],
    ["categories.0", { categories: [""] }], ["categories.0", { categories: ["c".repeat(51)] }], ["categories.0", { categories: [7] }],
  ])("refuses a bad %s with 400 INVALID_REQUEST naming it", async (path, change) => {
    const error = await rejection(seller.products.create({ ...newProduct, ...change } as never));
    expect(error.appCode).toBe("INVALID_REQUEST");
    expect(error.details?.map((d) => d.path)).toEqual([path]);
  });

  it("accepts the bounds: 200-character names, 50-character categories, ten of them, other currencies", async () => {
    const { data } = await seller.products.create({
      name: "é".repeat(200), price_cents: 1_000_000_000_000, currency: "JPY", stock: 1_000_000,
      categories: Array.from({ length: 10 }, (_, i) => `${i}${"c".repeat(49)}`),
    });
    expect(data).toMatchObject({ currency: "JPY", price_cents: 1_000_000_000_000, stock: 1_000_000 });
    expect(data.categories).toHaveLength(10);
  });
});

describe("reading, updating and archiving", () => {
  it("shows an active product to anyone, an archived one only to its seller and admins", async () => {
    const { id } = (await seller.products.create(newProduct)).data;
    for (const reader of [env.caller(), buyer, otherSeller, seller, admin]) expect((await reader.products.get({ id })).data.id).toBe(id);
    const archived = await seller.products.delete({ id });
    expect(archived).toMatchObject({ message: "Product archived.", data: { status: "archived" } });
    for (const reader of [env.caller(), buyer, otherSeller]) expect(await appCodeOf(reader.products.get({ id }))).toBe("PRODUCT_NOT_FOUND");
    for (const reader of [seller, admin]) expect((await reader.products.get({ id })).data.status).toBe("archived");
    // Archiving again is harmless; PATCH status=active brings it back.
    expect((await seller.products.delete({ id })).data.status).toBe("archived");
    expect((await seller.products.patch({ id, status: "active" })).data.status).toBe("active");
    expect((await buyer.products.get({ id })).data.status).toBe("active");
  });

  it("answers unknown and malformed ids, and bad tokens, like the contract says", async () => {
    for (const id of ["00000000-0000-4000-8000-000000000000", "nope", ""]) {
      expect(await appCodeOf(env.caller().products.get({ id }))).toBe("PRODUCT_NOT_FOUND");
      expect(await appCodeOf(seller.products.update({ id, name: "x" }))).toBe("PRODUCT_NOT_FOUND");
      expect(await appCodeOf(admin.products.delete({ id }))).toBe("PRODUCT_NOT_FOUND");
    }
    const { id } = (await seller.products.create(newProduct)).data;
    expect(await appCodeOf(env.caller({ authorization: "Bearer not.a.token" }).products.get({ id }))).toBe("INVALID_TOKEN");
  });

  it("changes only the fields sent, replacing categories, and bumps updated_at", async () => {
    const before = (await seller.products.create(newProduct)).data;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const { data, message } = await seller.products.update({ id: before.id, price_cents: 3_500, categories: ["Sale"] });
    expect(message).toBe("Product updated.");
    expect(data).toEqual({ ...before, price_cents: 3_500, categories: ["sale"], updated_at: data.updated_at });
    expect(data.updated_at > before.updated_at).toBe(true);
    const renamed = (await seller.products.patch({ id: before.id, name: "Oak Desk Lamp", stock: 0, currency: "EUR" })).data;
    expect(renamed).toMatchObject({ name: "Oak Desk Lamp", stock: 0, currency: "EUR", price_cents: 3_500, categories: ["sale"] });
    expect(await appCodeOf(seller.products.patch({ id: before.id, status: "deleted" } as never))).toBe("INVALID_REQUEST");
  });

  it("replaces the categories of concurrent updates one after the other: each succeeds, the last one's set stays", async () => {
    const { id } = (await seller.products.create(newProduct)).data;
    const sets = [["a", "b"], ["b", "c"], ["a", "c"], ["c", "d"], ["a", "b", "c"], ["d"]];
    const replies = await Promise.all(sets.map((categories) => seller.products.patch({ id, categories })));
    const final = (await seller.products.get({ id })).data.categories;
    expect(replies.map((reply) => reply.data.categories)).toEqual(sets);
    expect(sets).toContainEqual(final);
  });

  it("lets admins edit and archive any product, and nobody else but its seller (404, no existence leak)", async () => {
    const { id } = (await seller.products.create(newProduct)).data;
    for (const stranger of [buyer, otherSeller]) {
      expect(await appCodeOf(stranger.products.update({ id, name: "Mine now" }))).toBe("PRODUCT_NOT_FOUND");
      expect(await appCodeOf(stranger.products.patch({ id, price_cents: 1 }))).toBe("PRODUCT_NOT_FOUND");
      expect(await appCodeOf(stranger.products.delete({ id }))).toBe("PRODUCT_NOT_FOUND");
    }
    expect(await appCodeOf(env.caller().products.delete({ id }))).toBe("INVALID_TOKEN");
    expect((await admin.products.patch({ id, name: "Moderated" })).data).toMatchObject({ name: "Moderated", seller: { user_id: sellerId } });
    expect((await admin.products.delete({ id })).data.status).toBe("archived");
  });

  it("validates before it looks the product up", async () => {
    expect(await appCodeOf(buyer.products.update({ id: "nope", price_cents: -5 }))).toBe("INVALID_REQUEST");
  });
});
