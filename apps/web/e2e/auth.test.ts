import { describe, it } from "vitest";
import { newUser, PASSWORD, uniqueName } from "./api.ts";
import { expectText, fieldError, screenshot, useBrowser } from "./browser.ts";

const browser = useBrowser();

describe("register and sign in", () => {
  it("shows the API's messages beside the fields it names, then registers and signs the new user in", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto("/");
    // Signed out, every app page leads to the sign-in screen; its link leads on to registering.
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByRole("link", { name: "Register" }).first().click();

    await page.getByLabel("Username", { exact: true }).fill("x!");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password").fill("short");
    await page.getByLabel("Full name").fill("Grace Hopper");
    await page.getByLabel("Age (optional)").fill("0");
    await page.getByRole("button", { name: "Create account" }).click();

    await expectText(fieldError(page, "Username"), "Username must be 3–32 characters: letters, digits, _ . or -.");
    await expectText(fieldError(page, "Email"), "Email must be a valid email address.");
    await expectText(fieldError(page, "Password"), /^Password must contain at least 8 characters, an upper-case letter, a digit, a special character\.$/);
    await expectText(fieldError(page, "Age (optional)"), "Age must be a positive integer.");
    await expectText(fieldError(page, "Gender"), "This field is required.");
    // The API's summary, naming every field with a problem by its label.
    await expectText(page.getByRole("alert"), "Invalid request. Please provide all required fields: Gender. Invalid fields: Username, Email, Password, Age.");
    await screenshot(page, "register");

    const username = uniqueName("grace");
    await page.getByLabel("Username", { exact: true }).fill(username);
    await page.getByLabel("Email").fill(`${username}@example.com`);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Age (optional)").fill("");
    await page.getByLabel("Gender").selectOption("female");
    await page.getByRole("button", { name: "Create account" }).click();

    await page.getByRole("heading", { name: "Tasks" }).waitFor();
    await expectText(page.locator(".who strong"), username);
  });

  it("puts a taken username's message beside the Username field", async () => {
    const { username } = await newUser("taken");
    const page = await (await browser.newContext()).newPage();
    await page.goto("/register");
    await page.getByLabel("Username", { exact: true }).fill(username.toUpperCase());
    await page.getByLabel("Email").fill(`other_${username}@example.com`);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Full name").fill("Someone Else");
    await page.getByLabel("Gender").selectOption("other");
    await page.getByRole("button", { name: "Create account" }).click();
    await expectText(fieldError(page, "Username"), /already/i);
  });

  it("refuses a wrong password, signs in with the right one, stays signed in across a reload, and signs out (every tab)", async () => {
    const { username } = await newUser("ada");
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("Username or email").fill(username);
    await page.getByLabel("Password").fill("Wrong!Passw0rd");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expectText(page.getByRole("alert"), "Invalid username or password.");
    await screenshot(page, "login");

    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Tasks" }).waitFor();
    await page.reload();
    await expectText(page.locator(".who strong"), username);

    const otherTab = await context.newPage();
    await otherTab.goto("/data");
    await otherTab.getByRole("heading", { name: "Key-value data" }).waitFor();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await otherTab.getByRole("heading", { name: "Sign in" }).waitFor(); // the other tab follows, without a reload
    // Signed out for real: the tasks page now leads back to signing in, and comes back after it.
    await page.goto("/data");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByLabel("Username or email").fill(`${username}@example.com`);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Key-value data" }).waitFor();
  });
});
