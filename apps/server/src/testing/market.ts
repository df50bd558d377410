/**
 * Marketplace fixtures for the contract tests (buyers and sellers are accounts: ./accounts.ts): products written to
 * the database (quick, and any state a test needs; the catalog routes have contract tests of their own), cart and
 * checkout calls.
 */
import { randomUUID } from "node:crypto";
import { restClient } from "./clients.ts";
import type { Reply } from "./http.ts";
import type { TestServer } from "./server.ts";

// Products are written straight to the database by the same fixture the createCaller tests use.
export { product as createProduct, type ProductSpec, stockOf } from "@tessera/api/testing";

/** A REST client for one account, with paths under /api. */
export const as = (server: TestServer, token: string) => {
  const rest = restClient(server.url, token);
  return (method: string, path: string, json?: unknown, headers?: Record<string, string>): Promise<Reply> => rest(method, `/api${path}`, json, headers);
};

export const addToCart = (server: TestServer, token: string, productId: string, quantity: number) =>
  as(server, token)("POST", "/cart/items", { product_id: productId, quantity });

/** POST /api/checkout with an Idempotency-Key (a fresh one unless given). */
export const checkout = (server: TestServer, token: string, paymentMethod = "pm_card_visa", key: string = randomUUID()) =>
  as(server, token)("POST", "/checkout", { payment_method: paymentMethod }, { "Idempotency-Key": key });
