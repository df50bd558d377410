/** The SDK's checkout: an Idempotency-Key per call (`context.idempotencyKey`), sent alone in its own request. */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, countingFetch, liveServer, signedIn, type TestServer } from "../test/helpers.ts";
import { TesseraError } from "./index.ts";

let server: TestServer;
let productId: string;
beforeAll(async () => {
  server = await liveServer();
  const seller = await signedIn(server);
  const db = server.services.db.kysely;
  await db.updateTable("users").set({ role: "seller", store_name: "SDK shop" }).where("id", "=", seller.user.id).execute();
  const now = new Date();
  productId = randomUUID();
  await db
    .insertInto("products")
    .values({ id: productId, seller_id: seller.user.id, name: "Kettle", price_cents: 3999, stock: 100, name_search: "kettle", description_search: "", created_at: now, updated_at: now })
    .execute();
});
afterAll(() => server.stop());

describe("checkout through the SDK", () => {
  it("sends the call's idempotencyKey as the Idempotency-Key header: a repeat is answered from the record", async () => {
    const counting = countingFetch();
    const { tessera } = await signedIn(server, { fetch: counting.fetch });
    await tessera.cart.add.mutate({ product_id: productId, quantity: 2 });
    const key = randomUUID();
    const [placed, cart] = await Promise.all([
      tessera.checkout.place.mutate({ payment_method: "pm_card_visa" }, { context: { idempotencyKey: key } }),
      tessera.cart.get.query(),
    ]);
    expect(placed.data.orders[0]).toMatchObject({ status: "paid", total_cents: 7998 });
    expect(cart.data).toBeDefined();
    // The keyed call went alone, not batched with the concurrent query.
    expect(counting.requests).toContainEqual(["checkout.place"]);
    const again = await tessera.checkout.place.mutate({ payment_method: "pm_card_visa" }, { context: { idempotencyKey: key } });
    expect(again).toEqual(placed);
    expect((await tessera.orders.list.query({})).data.items).toHaveLength(1);
  });

  it("rejects a call without a key with IDEMPOTENCY_KEY_REQUIRED, as a TesseraError", async () => {
    const { tessera } = await signedIn(server);
    const error = await tessera.checkout.place.mutate({ payment_method: "pm_card_visa" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TesseraError);
    expect(error).toMatchObject({ code: "IDEMPOTENCY_KEY_REQUIRED" });
    expect(await client(server).checkout.place.mutate({ payment_method: "pm_card_visa" }, { context: { idempotencyKey: "k" } }).catch((e: unknown) => e))
      .toMatchObject({ code: "INVALID_TOKEN" });
  });
});
