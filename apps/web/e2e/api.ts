/** Setting the stage over the REST API (the contract), so each test drives the screens only for what it checks. */
import { createTesseraClient, type TesseraClient } from "@tessera/sdk";
import { account, call, PASSWORD, uniqueName } from "@tessera/server/testing";
import { expect, inject } from "vitest";
import type { Page } from "playwright-core";

export { PASSWORD, uniqueName };

/** A POST under /api that must succeed (its answer checked against the OpenAPI document by the server kit); its data. */
async function post(path: string, body: unknown, token?: string) {
  const reply = await call(inject("baseUrl"), "POST", `/api${path}`, { json: body, token });
  expect(reply.body?.status, `POST ${path}: ${reply.text}`).toBe("success");
  return reply.body.data;
}

/** A new account (the server kit's): its name, access token and more. */
export const newUser = (prefix = "user") => account(inject("baseUrl"), { prefix });

export const createTask = (token: string, task: Record<string, unknown>) => post("/tasks/", task, token);

/** A seller with one product in stock: resolves with the seller, the store name and the product. */
export async function sellerWithProduct(product: Record<string, unknown>) {
  const storeName = uniqueName("Store");
  const seller = await account(inject("baseUrl"), { role: "seller", prefix: "seller", storeName });
  const created = (await post("/products", product, seller.token)) as { id: string; name: string };
  return { seller, storeName, product: created };
}

export const addToCart = (token: string, productId: string, quantity: number) => post("/cart/items", { product_id: productId, quantity }, token);

/** Signs in through the login screen and waits for the task board. */
export async function signIn(page: Page, username: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Username or email").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Tasks" }).waitFor();
}

/**
 * The SDK, as a Node program uses it, signed in as `username`: for what the plain REST calls above do not do, the
 * image upload (its helper: multipart, a Node Buffer) and a checkout with its Idempotency-Key.
 */
export async function sdkAs(username: string, password = PASSWORD): Promise<TesseraClient> {
  const tessera = createTesseraClient({ url: inject("baseUrl") });
  await tessera.login({ username, password });
  return tessera;
}
