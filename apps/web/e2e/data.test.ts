import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { newUser, signIn } from "./api.ts";
import { expectGone, expectText, fieldError, screenshot, useBrowser } from "./browser.ts";

const browser = useBrowser();

const keys = (page: Page) => page.locator("table.list tbody th").allTextContents();
const valueOf = (page: Page, key: string) => page.locator("table.list tbody tr", { has: page.getByRole("rowheader", { name: key, exact: true }) }).locator("td.value");

async function add(page: Page, key: string, value: string) {
  const form = page.getByRole("form", { name: "New key" });
  await form.getByLabel("Key").fill(key);
  await form.getByLabel("Value").fill(value);
  await form.getByRole("button", { name: "Add key" }).click();
}

describe("key-value browser", () => {
  it("creates, lists by prefix, edits and deletes keys, with the API's messages beside the fields", async () => {
    const { username } = await newUser("kv");
    const page = await (await browser.newContext()).newPage();
    await signIn(page, username);
    await page.getByRole("link", { name: "Key-value data" }).click();
    await expectText(page.locator(".empty"), "No keys yet.");

    await add(page, "", "orphan");
    await expectText(fieldError(page, "Key"), "This field is required.");

    await add(page, "app.theme", "dark");
    await expectText(valueOf(page, "app.theme"), "dark");
    await add(page, "app.language", "en-GB");
    await add(page, "billing/plan", "team");
    await add(page, "app_other", "underscore is no wildcard");
    await expect.poll(() => keys(page)).toEqual(["app.language", "app.theme", "app_other", "billing/plan"]);

    await add(page, "app.theme", "light");
    await expectText(fieldError(page, "Key"), /exists/i);
    await expectText(valueOf(page, "app.theme"), "dark");

    await page.getByLabel("Key prefix").fill("app.");
    await expect.poll(() => keys(page)).toEqual(["app.language", "app.theme"]);
    await page.getByLabel("Key prefix").fill("");
    await expect.poll(() => keys(page)).toHaveLength(4);

    await page.getByRole("button", { name: "Edit app.theme" }).click();
    const edit = page.getByRole("form", { name: "Edit value" });
    expect(await edit.getByLabel("Key").inputValue()).toBe("app.theme");
    await edit.getByLabel("Value").fill("solarized");
    await screenshot(page, "data");
    await edit.getByRole("button", { name: "Save value" }).click();
    await expectText(valueOf(page, "app.theme"), "solarized");

    await page.getByRole("button", { name: "Delete billing/plan" }).click();
    await expectGone(page.getByRole("rowheader", { name: "billing/plan" }));
    await page.reload();
    await expect.poll(() => keys(page)).toEqual(["app.language", "app.theme", "app_other"]);
  });
});
