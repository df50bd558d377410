import { describe, expect, inject, it } from "vitest";
import { newUser, PASSWORD, signIn } from "./api.ts";
import { expectText, screenshot, useBrowser } from "./browser.ts";

const browser = useBrowser();

describe("admin users page", () => {
  it("is not offered to users who are not admins", async () => {
    const { username } = await newUser("plain");
    const page = await (await browser.newContext()).newPage();
    await signIn(page, username);
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link").allTextContents()).toEqual(["Tasks", "Key-value data", "Shop", "Cart", "Orders", "Sell", "API reference"]);
    await page.goto("/admin/users");
    await page.getByRole("heading", { name: "Admins only" }).waitFor();
  });

  it("lets an admin deactivate a user, who is signed out everywhere and cannot sign in again", async () => {
    const admin = inject("admin");
    const victim = await newUser("victim");
    await newUser("bystander");
    const victimPage = await (await browser.newContext()).newPage();
    await signIn(victimPage, victim.username);

    const page = await (await browser.newContext()).newPage();
    await signIn(page, admin.username, admin.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
    await page.getByRole("heading", { name: "Users" }).waitFor();
    await page.getByRole("rowheader", { name: victim.username }).waitFor();
    await page.getByRole("rowheader", { name: admin.username }).waitFor();

    await page.getByLabel("Search users").fill(victim.username);
    await expect.poll(() => page.locator("table.list tbody th").allTextContents()).toEqual([victim.username]);
    await page.getByRole("button", { name: `Deactivate ${victim.username}` }).click();
    await expectText(page.getByRole("status").filter({ hasText: "updated" }), `${victim.username} updated.`);
    await expectText(page.locator("table.list tbody .badge"), "Deactivated");
    await page.getByLabel("Search users").fill("");
    await page.getByRole("rowheader", { name: admin.username }).waitFor();
    await screenshot(page, "admin-users");
    await page.getByLabel("Account filter").selectOption("false");
    await expect.poll(() => page.locator("table.list tbody th").allTextContents()).toEqual([victim.username]);

    // The victim's open tab: its session was revoked, so the next call signs it out.
    await victimPage.reload();
    await victimPage.getByRole("heading", { name: "Sign in" }).waitFor();
    await victimPage.getByLabel("Username or email").fill(victim.username);
    await victimPage.getByLabel("Password").fill(PASSWORD);
    await victimPage.getByRole("button", { name: "Sign in" }).click();
    await expectText(victimPage.getByRole("alert"), "Invalid username or password.");

    // The last admin cannot lock everyone out: the API's refusal is shown.
    await page.getByLabel("Account filter").selectOption("");
    await page.getByLabel("Search users").fill(admin.username);
    await page.getByRole("button", { name: `Deactivate ${admin.username}` }).click();
    await expectText(page.getByRole("alert"), /last/i);
  });
});
