/**
 * Marketplace fixtures for the contract tests: buyers and sellers over HTTP, products written to the database (quick,
 * and any state a test needs; the catalog routes have contract tests of their own), and checkout calls.
 */
import { randomUUID } from "node:crypto";
import { call, type Reply, userWithSession } from "./http.ts";
import type { TestServer } from "./server.ts";

export interface Account {
  id: string;
  username: string;
  token: string;
}

export async function buyerAccount(server: TestServer): Promise<Account> {
  const user = await userWithSession(server.url);
  return { id: user.data.user_id, username: user.data.username, token: user.tokens.access_token };
}

/** An account onboarded as a seller (POST /api/seller/onboard). */
export async function sellerAccount(server: TestServer): Promise<Account & { storeName: string }> {
  const account = await buyerAccount(server);
  const storeName = `Store of ${account.username}`;
  const reply = await call(server.url, "POST", "/api/seller/onboard", { json: { store_name: storeName }, token: account.token });
  if (reply.status !== 201) throw new Error(`onboarding failed: ${reply.text}`);
  return { ...account, storeName };
}

// Products are written straight to the database by the same fixture the createCaller tests use.
export { product as createProduct, type ProductSpec, stockOf } from "@tessera/api/testing";

/** A REST client for one account. */
export const as = (server: TestServer, token: string) => (method: string, path: string, json?: unknown, headers?: Record<string, string>): Promise<Reply> =>
  call(server.url, method, `/api${path}`, { json, token, headers });

export const addToCart = (server: TestServer, token: string, productId: string, quantity: number) =>
  as(server, token)("POST", "/cart/items", { product_id: productId, quantity });

/** POST /api/checkout with an Idempotency-Key (a fresh one unless given). */
export const checkout = (server: TestServer, token: string, paymentMethod = "pm_card_visa", key: string = randomUUID()) =>
  as(server, token)("POST", "/checkout", { payment_method: paymentMethod }, { "Idempotency-Key": key });
