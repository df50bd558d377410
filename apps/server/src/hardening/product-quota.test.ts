/**
 * Issue 16, item 14 (products): a seller has at most SELLER_MAX_PRODUCTS products (here 3), archived ones included;
 * the next creation is 409 QUOTA_EXCEEDED naming `products`, also when creations race for the last place.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectQuotaExceeded, expectSuccess } from "../testing/http.ts";
import { as } from "../testing/market.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { account } from "../testing/accounts.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ SELLER_MAX_PRODUCTS: "3" });
});
afterAll(() => server.stop());

const create = (token: string, name: string) => as(server, token)("POST", "/products", { name, price_cents: 100, stock: 1 });

describe("products per seller", () => {
  it("refuses the fourth product, archived ones counting, and leaves other sellers alone", async () => {
    const [seller, other] = [await account(server, { role: "seller" }), await account(server, { role: "seller" })];
    const first = await create(seller.token, "One");
    expectSuccess(first, 201);
    expectSuccess(await as(server, seller.token)("DELETE", `/products/${first.body.data.id}`));
    expectSuccess(await create(seller.token, "Two"), 201);
    expectSuccess(await create(seller.token, "Three"), 201);
    expectQuotaExceeded(await create(seller.token, "Four"), "products");
    expectSuccess(await create(other.token, "Elsewhere"), 201);
    expect((await as(server, seller.token)("GET", `/products?seller=${seller.id}`)).body.data.items).toHaveLength(2);
  });

  it("lets exactly one of several concurrent creations take the last place", async () => {
    for (let round = 0; round < 5; round++) {
      const seller = await account(server, { role: "seller" });
      expectSuccess(await create(seller.token, "A"), 201);
      expectSuccess(await create(seller.token, "B"), 201);
      const replies = await Promise.all(["C", "D", "E", "F"].map((name) => create(seller.token, name)));
      expect(replies.map((reply) => reply.status).sort(), replies.map((reply) => reply.text).join("\n")).toEqual([201, 409, 409, 409]);
      const count = await server.services.db.kysely
        .selectFrom("products").select((eb) => eb.fn.countAll<number>().as("n")).where("seller_id", "=", seller.id).executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(3);
    }
  });
});
