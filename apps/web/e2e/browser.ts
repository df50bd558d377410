/**
 * Chromium from Debian (`apt-get install -y chromium`), driven by playwright-core: no browser is downloaded.
 * Each test file gets one browser; each test opens contexts (a context is one browser profile: its tabs
 * share localStorage, so two pages of one context are two tabs of one signed-in user).
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, inject } from "vitest";

export const CHROMIUM = "/usr/bin/chromium";
/** Headless, and quiet: nothing of Chromium's own may reach for the network (these machines are offline). */
export const CHROMIUM_FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
];
const SCREENSHOTS = fileURLToPath(new URL("../../../docs/screenshots/", import.meta.url));

export function useBrowser() {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  /** Content Security Policy refusals and uncaught page errors, from every page: each test must end with none. */
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium`);
    // playwright-core gives every launch a fresh temporary profile (--user-data-dir) of its own.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    expect(problems.splice(0)).toEqual([]);
  });
  afterAll(() => browser?.close());

  const watch = (page: Page) => {
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(`${page.url()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`${page.url()}: ${error.message}`));
    // window.confirm (delete buttons) is answered yes.
    page.on("dialog", (dialog) => void dialog.accept());
  };

  return {
    /** A new browser profile (signed out), 1280×800 unless told (a phone: 390×844), English, UTC. */
    async newContext(viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
      const context = await browser!.newContext({ baseURL: inject("baseUrl"), viewport, locale: "en-GB", timezoneId: "UTC" });
      context.setDefaultTimeout(15_000);
      context.on("page", watch);
      contexts.push(context);
      return context;
    },
  };
}

/** Saves the page as it is now as docs/screenshots/<name>.png (shown in the README): all of it, or the window. */
export async function screenshot(page: Page, name: string, { fullPage = true } = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage, animations: "disabled", caret: "hide" });
}

/** The message shown beside the field with this label (empty when there is none). */
export const fieldError = (page: Page, label: string) =>
  page.locator(".field", { has: page.getByLabel(label, { exact: true }) }).locator(".field-error");

/** Waits until the locator's text equals `text` (or matches it), and fails with what it was otherwise. */
export async function expectText(locator: Locator, text: string | RegExp) {
  await expect.poll(() => locator.first().textContent({ timeout: 15_000 }).catch(() => null), { timeout: 15_000 }).toMatch(
    typeof text === "string" ? new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) : text,
  );
}

/** Waits until no element matches. */
export async function expectGone(locator: Locator) {
  await locator.first().waitFor({ state: "detached", timeout: 15_000 });
}
