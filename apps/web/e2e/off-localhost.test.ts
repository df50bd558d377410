/**
 * The web app and /docs under a host name other than localhost, over plain HTTP (as on a LAN or behind a TLS-less
 * proxy): the pages load their scripts and render. And a browser app on another origin (CORS_ORIGINS) can call the
 * API, checkout's Idempotency-Key included, and read X-Request-Id. Chromium resolves *.test to this machine.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { processEnvironment, type ProcessEnvironment, type ServerProcess } from "@tessera/server/testing";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CHROMIUM, CHROMIUM_FLAGS } from "./browser.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_FLAGS, "--host-resolver-rules=MAP *.test 127.0.0.1"], headless: true });
});
afterAll(() => browser?.close());

/**
 * A page's refusals (Content Security Policy, CORS, mixed content) and uncaught exceptions: each case must end with
 * none. (Chromium also logs answers with an error status, such as the expected 400 below: those are not refusals.)
 */
async function openPage(url: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => void (/Content Security Policy|Refused to|CORS|blocked|Mixed Content/i.test(message.text()) && problems.push(message.text())));
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(url);
  return { page, problems, close: () => context.close() };
}

describe("under a host name other than localhost, over plain HTTP", () => {
  const port = () => new URL(inject("baseUrl")).port;

  it("renders the web app", async () => {
    const { page, problems, close } = await openPage(`http://tessera.test:${port()}/`);
    try {
      await expect.poll(() => page.getByRole("link", { name: /shop/i }).first().isVisible(), { timeout: 20_000 }).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it("renders the API reference at /docs", async () => {
    const { page, problems, close } = await openPage(`http://tessera.test:${port()}/docs`);
    try {
      await expect.poll(() => page.locator(".opblock").count(), { timeout: 20_000 }).toBeGreaterThan(10);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe("a browser app on another origin (CORS_ORIGINS)", () => {
  let api: ServerProcess;
  let site: Server;
  let processes: ProcessEnvironment;
  let siteOrigin: string;
  let apiOrigin: string;

  beforeAll(async () => {
    site = createServer((_req, res) => res.writeHead(200, { "Content-Type": "text/html" }).end("<!doctype html><title>shop front</title><p>front</p>"));
    await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
    siteOrigin = `http://front.test:${(site.address() as AddressInfo).port}`;
    processes = await processEnvironment({
      ENV: "prod", WEBHOOK_SECRET: randomBytes(32).toString("base64url"), PAYMENT_PROVIDER: "simulator", CORS_ORIGINS: siteOrigin,
    });
    api = await processes.start();
    apiOrigin = `http://api.test:${new URL(api.url).port}`;
  });
  afterAll(async () => {
    await api?.stop();
    await processes?.dispose();
    await new Promise((resolve) => site?.close(resolve));
  });

  it("signs in and checks out with an Idempotency-Key, reading the answer and its X-Request-Id", async () => {
    const { page, problems, close } = await openPage(`${siteOrigin}/`);
    try {
      const outcome = await page.evaluate(async (base) => {
        const json = { "Content-Type": "application/json" };
        const user = { username: `front_${Date.now()}`, email: `front${Date.now()}@example.com`, password: "Str0ng!Passw0rd", full_name: "F", gender: "other" };
        await fetch(`${base}/api/register`, { method: "POST", headers: json, body: JSON.stringify(user) });
        const login = await (await fetch(`${base}/api/token`, { method: "POST", headers: json, body: JSON.stringify(user) })).json();
        const checkout = await fetch(`${base}/api/checkout`, {
          method: "POST",
          headers: { ...json, Authorization: `Bearer ${login.data.access_token}`, "Idempotency-Key": "front-1" },
          body: JSON.stringify({ payment_method: "pm_card_visa" }),
        });
        return { status: checkout.status, body: await checkout.json(), requestId: checkout.headers.get("x-request-id") };
      }, apiOrigin);
      // An empty cart: the contract's answer, read by the page (CORS let the request and the answer through).
      expect(outcome).toMatchObject({ status: 400, body: { code: "CART_EMPTY" }, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});
