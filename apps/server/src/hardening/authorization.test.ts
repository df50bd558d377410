/**
 * Authorization walk, generated from the REST route table: user B calls every authenticated, non-admin route
 * (over REST and over tRPC) with user A's key, task id, product id, image id and order id in the path and in every
 * body and query. A and B are both sellers. Nothing of A's may be read, changed or revealed: A's key, task, product
 * and order answer like missing ones (404 KEY_NOT_FOUND / TASK_NOT_FOUND / PRODUCT_NOT_FOUND / ORDER_NOT_FOUND, also
 * on the seller's order routes: B sells none of A's order), lists show B only B's own, no answer to B contains A's
 * value, title, id, order or name, and A's data (cart and orders included) read back afterwards are exactly what they
 * were. Cart and checkout routes name nothing of A's (a cart is the caller's own; B's use a third seller's product):
 * B's calls there may succeed or fail on B's own cart, never with a 5xx. (/admin is role-guarded and covered in
 * contract/; the image upload, not a procedure, in market-images.)
 */
import { randomUUID } from "node:crypto";
import { restRoutes, type RestRoute } from "../http/rest/routes.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, expectSuccess, login, type Reply } from "../testing/http.ts";
import { imageForm, png } from "../testing/images.ts";
import { addToCart, checkout, createProduct } from "../testing/market.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { account, type Account } from "../testing/accounts.ts";

let server: TestServer;
let a: Account;
let b: Account;
let bToken: string;
const secret = randomUUID().slice(0, 8);
const A = {
  key: `a-private/${secret} key?`, // a slash, a space and a question mark: it must travel percent-encoded
  value: `a-value-${secret}`,
  title: `a-title-${secret}`,
  description: `a-description-${secret}`,
  taskId: "",
  productName: `a-product-${secret}`,
  productId: "",
  imageId: "",
  orderId: "",
};
/** A third seller's product: in A's cart, and what B's cart routes name. */
let shopProductId = "";

/**
 * The routes anyone may call without a token, listed here by hand (docs/contract.md), not read from the routes'
 * meta: a route wrongly marked public would otherwise drop out of the walk below unnoticed.
 */
const PUBLIC = new Set([
  "POST /register", "POST /token", "POST /login", "POST /token/refresh", "GET /products", "GET /products/{id}", "GET /categories",
  "POST /payments/webhook",
]);
const nameOf = (route: RestRoute) => `${route.method} ${route.path}`;
const WALKED = restRoutes.filter((route) => !PUBLIC.has(nameOf(route)) && !route.path.startsWith("/admin"));

describe("the public routes", () => {
  it("are exactly the ones the contract opens to anyone", () => {
    expect(new Set(restRoutes.filter((route) => route.meta.openapi?.protect === false).map(nameOf))).toEqual(PUBLIC);
  });
});

beforeAll(async () => {
  server = await startTestServer();
  [a, b] = await Promise.all([account(server.url), account(server.url)]);
  bToken = b.tokens.access_token;
  expectSuccess(await call(server.url, "POST", "/api/data", { token: a.tokens.access_token, json: { key: A.key, value: A.value } }), 201);
  const task = await call(server.url, "POST", "/api/tasks", {
    token: a.tokens.access_token,
    json: { title: A.title, description: A.description, priority: "high", due_date: "2030-01-01T00:00:00.000Z" },
  });
  expectSuccess(task, 201);
  A.taskId = task.body.data.id;
  // Both sell: B's seller role must not reach A's products either.
  for (const [user, store] of [[a, `a-store-${secret}`], [b, "b-store"]] as const) {
    expectSuccess(await call(server.url, "POST", "/api/seller/onboard", { token: user.tokens.access_token, json: { store_name: store } }), 201);
  }
  const product = await call(server.url, "POST", "/api/products", {
    token: a.tokens.access_token,
    json: { name: A.productName, description: A.description, price_cents: 1_234, stock: 5, categories: ["walk"] },
  });
  expectSuccess(product, 201);
  A.productId = product.body.data.id;
  const image = await fetch(`${server.url}/api/products/${A.productId}/images`, {
    method: "POST", headers: { authorization: `Bearer ${a.tokens.access_token}` }, body: imageForm(png()),
  });
  expect(image.status).toBe(201);
  A.imageId = ((await image.json()) as { data: { image_id: string } }).data.image_id;
  const shop = await account(server, { role: "seller" });
  const [inCart, bought] = [await createProduct(server, shop.id), await createProduct(server, shop.id)];
  shopProductId = inCart.id;
  expectSuccess(await addToCart(server, a.tokens.access_token, bought.id, 1));
  const placed = await checkout(server, a.tokens.access_token);
  expectSuccess(placed, 201);
  A.orderId = placed.body.data.orders[0].id;
  expectSuccess(await addToCart(server, a.tokens.access_token, inCart.id, 2));
});
afterAll(() => server?.stop());

/** Everything of A's, as A reads it: every route that shows A's data. */
async function snapshotOfA() {
  const token = a.tokens.access_token;
  const reads = await Promise.all([
    call(server.url, "GET", `/api/data/${encodeURIComponent(A.key)}`, { token }),
    call(server.url, "GET", "/api/data?limit=100", { token }),
    call(server.url, "GET", `/api/tasks/${A.taskId}`, { token }),
    call(server.url, "GET", "/api/tasks?limit=100", { token }),
    call(server.url, "GET", "/api/me", { token }),
    call(server.url, "GET", `/api/products/${A.productId}`, { token }),
    call(server.url, "GET", "/api/cart", { token }),
    call(server.url, "GET", `/api/orders/${A.orderId}`, { token }),
    call(server.url, "GET", "/api/orders?limit=100", { token }),
  ]);
  for (const read of reads) expectSuccess(read);
  const image = await fetch(`${server.url}/api/images/${A.imageId}`);
  expect(image.status).toBe(200);
  return [...reads.map((read) => read.body), Buffer.from(await image.arrayBuffer()).toString("base64")];
}

const isProductRoute = (route: RestRoute) => route.path.startsWith("/products");
const isOrderRoute = (route: RestRoute) => /^\/(seller\/)?orders\b/.test(route.path);
/** Routes on B's own cart: no identifier of A's can name anything of A's there. */
const onOwnCart = (route: RestRoute) => /^\/(cart|checkout)\b/.test(route.path);
/** A's id of the resource a route's {id} names. */
const idFor = (route: RestRoute) => (isProductRoute(route) ? A.productId : isOrderRoute(route) ? A.orderId : A.taskId);

/** What B sends: A's identifiers wherever a route reads one, and writes that would change A's data (valid ones). */
const bodyFor = (route: RestRoute) => ({
  key: A.key, value: `b-overwrite-${secret}`, id: idFor(route), title: `b-title-${secret}`,
  description: "b", status: isProductRoute(route) ? "archived" : "done", priority: "low", due_date: null, user_id: a.data.user_id,
  owner_id: a.data.user_id, userId: a.data.user_id, seller_id: a.data.user_id, image_id: A.imageId, name: `b-name-${secret}`,
  price_cents: 1, stock: 0, store_name: "b-store-again", order_id: A.orderId, product_id: shopProductId, quantity: 1,
  payment_method: "pm_card_visa",
});
const queryFor = () => `?prefix=${encodeURIComponent(A.key)}&q=${encodeURIComponent(A.title)}&user_id=${a.data.user_id}`;

/** Nothing of A's appears in an answer to B. */
function expectNothingOfA(reply: Reply, where: string): void {
  for (const leak of [A.value, A.title, A.description, A.taskId, A.productName, A.productId, A.imageId, A.orderId, `a-store-${secret}`, a.data.user_id, a.input.username, a.input.email]) {
    expect(reply.text.includes(leak), `${where} revealed ${leak}: ${reply.text.slice(0, 300)}`).toBe(false);
  }
}

const hasParam = (route: RestRoute) => /\{\w+\}/.test(route.path);
const notFoundCode = (route: RestRoute) =>
  route.path.includes("{key}") ? "KEY_NOT_FOUND" : isProductRoute(route) ? "PRODUCT_NOT_FOUND" : isOrderRoute(route) ? "ORDER_NOT_FOUND" : "TASK_NOT_FOUND";
/** Routes without a parameter that do not succeed for B, and their code (B is a seller already). */
const REFUSED: Record<string, string> = { "seller.onboard": "ALREADY_SELLER" };

async function afterLogout(procedure: string, reply: Reply): Promise<void> {
  if (procedure === "auth.logout" && reply.status === 200) bToken = (await login(server.url, b.input.username)).access_token;
}

describe("authorization walk: user B against user A's resources", () => {
  it("covers every authenticated, non-admin route of the route table", () => {
    expect(WALKED.map((r) => r.procedurePath).sort()).toEqual([
      "auth.logout", "auth.me", "cart.add", "cart.empty", "cart.get", "cart.remove", "cart.set", "checkout.place",
      "data.create", "data.delete", "data.get", "data.list", "data.update", "orders.cancel", "orders.get", "orders.list",
      "products.create", "products.delete", "products.images.delete", "products.patch", "products.update",
      "seller.onboard", "sellerOrders.deliver", "sellerOrders.get", "sellerOrders.list", "sellerOrders.ship",
      "tasks.create", "tasks.delete", "tasks.get", "tasks.list", "tasks.patch", "tasks.update",
    ]);
  });

  it("reads, changes and reveals nothing of A's, over REST and tRPC", async () => {
    const before = await snapshotOfA();
    // Routes that name A's key, task, product or order first (B has nothing of the same name yet), then the others; logout last.
    const order = [...WALKED].sort((x, y) => Number(!hasParam(x)) - Number(!hasParam(y)) || Number(x.procedurePath === "auth.logout") - Number(y.procedurePath === "auth.logout"));
    let calls = 0;
    for (const route of order) {
      // REST: A's identifiers in the path, the query and the body.
      const path = `/api${route.path
        .replace("{key}", encodeURIComponent(A.key))
        .replace("{id}", idFor(route))
        .replace("{product_id}", shopProductId)
        .replace("{image_id}", A.imageId)}`;
      const rest = await call(server.url, route.method, route.method === "GET" ? `${path}${queryFor()}` : path, {
        token: bToken,
        headers: { "Idempotency-Key": randomUUID() },
        ...(route.method !== "GET" && route.method !== "DELETE" && { json: bodyFor(route) }),
      });
      calls++;
      const where = `REST ${route.method} ${route.path}`;
      expectNothingOfA(rest, where);
      if (onOwnCart(route)) {
        expect(rest.status, `${where}: ${rest.text.slice(0, 300)}`).toBeLessThan(500);
      } else if (hasParam(route)) {
        expect({ where, status: rest.status, code: rest.body?.code }).toEqual({ where, status: 404, code: notFoundCode(route) });
      } else if (REFUSED[route.procedurePath]) {
        expect({ where, code: rest.body?.code }).toEqual({ where, code: REFUSED[route.procedurePath] });
      } else {
        expect(rest.status, `${where}: ${rest.text.slice(0, 300)}`).toBe(route.meta.successStatus ?? 200);
      }
      await afterLogout(route.procedurePath, rest);

      // tRPC: the same procedure with A's identifiers in its input.
      const input = JSON.stringify(route.method === "GET" ? { key: A.key, id: idFor(route), prefix: A.key, q: A.title } : bodyFor(route));
      const isQuery = route.method === "GET";
      const trpc = await call(server.url, isQuery ? "GET" : "POST", `/trpc/${route.procedurePath}${isQuery ? `?input=${encodeURIComponent(input)}` : ""}`, {
        token: bToken,
        ...(!isQuery && { raw: input }),
      });
      calls++;
      expectNothingOfA(trpc, `tRPC ${route.procedurePath}`);
      if (onOwnCart(route)) expect(trpc.status, `tRPC ${route.procedurePath}: ${trpc.text.slice(0, 300)}`).toBeLessThan(500);
      else if (hasParam(route)) expect({ p: route.procedurePath, code: trpc.body?.error?.data?.appCode }).toEqual({ p: route.procedurePath, code: notFoundCode(route) });
      // B's REST call just made B's own key of that name (201 above: A's key did not conflict), so this one conflicts with B's.
      else if (route.procedurePath === "data.create") expect(trpc.body?.error?.data?.appCode).toBe("KEY_EXISTS");
      else if (REFUSED[route.procedurePath]) expect(trpc.body?.error?.data?.appCode).toBe(REFUSED[route.procedurePath]);
      else expect(trpc.status, `tRPC ${route.procedurePath}: ${trpc.text.slice(0, 300)}`).toBe(200);
      await afterLogout(route.procedurePath, trpc);
    }
    console.log(`[authorization] ${WALKED.length} routes walked, ${calls} calls as user B`);

    // B's lists hold only what B made (the same key name, B's own value; B's own tasks).
    const bData = await call(server.url, "GET", "/api/data?limit=100", { token: bToken });
    expect(bData.body.data.items.map((item: { value: string }) => item.value)).not.toContain(A.value);
    const bTasks = await call(server.url, "GET", "/api/tasks?limit=100", { token: bToken });
    expect(bTasks.body.data.items.map((task: { id: string }) => task.id)).not.toContain(A.taskId);
    expect(bTasks.body.data.items.length).toBeGreaterThan(0);

    expect(await snapshotOfA()).toEqual(before);
  });
});
