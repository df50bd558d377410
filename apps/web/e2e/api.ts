/** Setting the stage over the REST API (the contract), so each test drives the screens only for what it checks. */
import { randomUUID } from "node:crypto";
import { createTesseraClient, type TesseraClient } from "@tessera/sdk";
import { expect, inject } from "vitest";
import type { Page } from "playwright-core";

export const PASSWORD = "Str0ng!Passw0rd";

async function post(path: string, body: unknown, token?: string) {
  const res = await fetch(`${inject("baseUrl")}/api${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token && { Authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { status: string; data: any };
  expect(json.status, `POST ${path}: ${JSON.stringify(json)}`).toBe("success");
  return json.data;
}

export const uniqueName = (prefix: string) => `${prefix}_${randomUUID().slice(0, 8)}`;

/** A new account; resolves with its name and an access token. */
export async function newUser(prefix = "user") {
  const username = uniqueName(prefix);
  await post("/register", { username, email: `${username}@example.com`, password: PASSWORD, full_name: "Grace Hopper", gender: "female" });
  const { access_token: token } = await post("/token", { username, password: PASSWORD });
  return { username, token: token as string };
}

export const createTask = (token: string, task: Record<string, unknown>) => post("/tasks/", task, token);

/** A seller with one product in stock: resolves with the seller, the store name and the product. */
export async function sellerWithProduct(product: Record<string, unknown>) {
  const seller = await newUser("seller");
  const storeName = uniqueName("Store");
  await post("/seller/onboard", { store_name: storeName }, seller.token);
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
