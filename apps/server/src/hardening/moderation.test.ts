/**
 * Issue 16, item 11 over real HTTP: admin moderation sticks. A product an admin archived cannot be made active by
 * its seller (403 FORBIDDEN) until an admin does it; a seller an admin demoted cannot onboard again (403 FORBIDDEN)
 * until an admin gives a role back. A seller's own archive stays theirs to undo.
 */
import { createSuperuser } from "@tessera/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, expectSuccess, login, PASSWORD, uniqueName } from "../testing/http.ts";
import { as } from "../testing/market.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { account } from "../testing/accounts.ts";

let server: TestServer;
let admin: ReturnType<typeof as>;
let adminId: string;

beforeAll(async () => {
  server = await startTestServer();
  const username = uniqueName("mod");
  ({ id: adminId } = await createSuperuser(server.services.db, server.services.passwords, { username, email: `${username}@example.com`, password: PASSWORD }));
  admin = as(server, (await login(server.url, username, PASSWORD)).access_token);
});
afterAll(() => server.stop());

async function sellerWithProduct() {
  const seller = await account(server, { role: "seller" });
  const created = await as(server, seller.token)("POST", "/products", { name: "Contested lamp", price_cents: 900, stock: 2 });
  expectSuccess(created, 201);
  return { seller, rest: as(server, seller.token), id: created.body.data.id as string };
}

describe("a product an admin archived", () => {
  it("stays archived when its seller sets it active, by PATCH or PUT, until an admin does", async () => {
    const { rest, id } = await sellerWithProduct();
    expectSuccess(await admin("DELETE", `/products/${id}`));
    for (const method of ["PATCH", "PUT"]) {
      const refused = await rest(method, `/products/${id}`, { status: "active" });
      expectError(refused, 403, "FORBIDDEN");
      expect(refused.body.message).toMatch(/administrator/);
    }
    expect((await rest("GET", `/products/${id}`)).body.data.status).toBe("archived");
    // Other edits stay the seller's; archiving it again changes nothing about who decided.
    expectSuccess(await rest("PATCH", `/products/${id}`, { name: "Renamed lamp" }));
    expectSuccess(await rest("DELETE", `/products/${id}`));
    expectError(await rest("PATCH", `/products/${id}`, { status: "active" }), 403, "FORBIDDEN");
    expect((await server.services.db.kysely.selectFrom("products").select("archived_by").where("id", "=", id).executeTakeFirstOrThrow()).archived_by).toBe(adminId);

    expectSuccess(await admin("PATCH", `/products/${id}`, { status: "active" }));
    expect((await rest("GET", `/products/${id}`)).body.data.status).toBe("active");
    // The admin's reversal hands it back: the seller archives and restores it again.
    expectSuccess(await rest("DELETE", `/products/${id}`));
    expectSuccess(await rest("PATCH", `/products/${id}`, { status: "active" }));
  });

  it("is the admin's decision also when its seller had archived it first", async () => {
    const { rest, id } = await sellerWithProduct();
    expectSuccess(await rest("DELETE", `/products/${id}`));
    expectSuccess(await admin("DELETE", `/products/${id}`));
    expectError(await rest("PATCH", `/products/${id}`, { status: "active" }), 403, "FORBIDDEN");
  });

  it("a seller's own archive is theirs to undo", async () => {
    const { rest, id } = await sellerWithProduct();
    expectSuccess(await rest("PATCH", `/products/${id}`, { status: "archived" }));
    const back = await rest("PATCH", `/products/${id}`, { status: "active" });
    expectSuccess(back);
    expect(back.body.data.status).toBe("active");
  });
});

describe("a seller an admin demoted", () => {
  it("cannot onboard again until an admin gives the role back", async () => {
    const seller = await account(server, { role: "seller" });
    expectSuccess(await admin("PATCH", `/admin/users/${seller.id}`, { role: "user" }));
    const refused = await as(server, seller.token)("POST", "/seller/onboard", { store_name: "Back again" });
    expectError(refused, 403, "FORBIDDEN");
    expect(refused.body.message).toMatch(/administrator/);
    expect((await as(server, seller.token)("GET", "/me")).body.data.role).toBe("user");
    expectError(await as(server, seller.token)("POST", "/products", { name: "Nope", price_cents: 1 }), 403, "FORBIDDEN");

    expectSuccess(await admin("PATCH", `/admin/users/${seller.id}`, { role: "seller" }));
    expect((await as(server, seller.token)("GET", "/me")).body.data.role).toBe("seller");
    expectSuccess(await as(server, seller.token)("POST", "/products", { name: "Yes", price_cents: 1 }), 201);
  });

  it("an admin's other changes (deactivation and back) do not lift or set the block", async () => {
    const seller = await account(server, { role: "seller" });
    expectSuccess(await admin("PATCH", `/admin/users/${seller.id}`, { role: "user" }));
    expectSuccess(await admin("PATCH", `/admin/users/${seller.id}`, { is_active: false }));
    expectSuccess(await admin("PATCH", `/admin/users/${seller.id}`, { is_active: true }));
    const token = (await login(server.url, seller.username, PASSWORD)).access_token;
    expectError(await as(server, token)("POST", "/seller/onboard", { store_name: "Still no" }), 403, "FORBIDDEN");
    // A user nobody demoted onboards as before.
    const fresh = await account(server, { role: "seller" });
    expect(fresh.storeName).toBeTruthy();
  });
});
