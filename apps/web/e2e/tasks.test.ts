import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createTask, newUser, signIn } from "./api.ts";
import { expectGone, expectText, fieldError, screenshot, useBrowser } from "./browser.ts";

const browser = useBrowser();

const rows = (page: Page) => page.locator("table.list tbody tr");
const row = (page: Page, title: string) => rows(page).filter({ has: page.getByRole("rowheader", { name: title }) });
const titles = (page: Page) => page.locator("table.list tbody th").evaluateAll((cells) => cells.map((cell) => cell.firstChild?.textContent));

async function signedInPage(prefix: string) {
  const user = await newUser(prefix);
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, user.username);
  return { user, context, page };
}

describe("task board", () => {
  it("creates, edits and deletes a task, with the API's message beside the field it names", async () => {
    const { page } = await signedInPage("tasks");
    const form = page.getByRole("form", { name: "New task" });

    await form.getByRole("button", { name: "Add task" }).click();
    await expectText(fieldError(page, "Title"), "This field is required.");
    await form.getByLabel("Title").fill("x".repeat(201));
    await form.getByRole("button", { name: "Add task" }).click();
    await expectText(fieldError(page, "Title"), "Title must be 1–200 characters and not blank.");

    await form.getByLabel("Title").fill("Write the release notes");
    await form.getByLabel("Description").fill("Cover the web app and the SDK.");
    await form.getByLabel("Priority").selectOption("high");
    await form.getByLabel("Due date").fill("2030-01-31T17:00");
    await form.getByRole("button", { name: "Add task" }).click();

    const created = row(page, "Write the release notes");
    await expectText(created.locator("td").nth(0), "To do");
    await expectText(created.locator("td").nth(1), "High");
    await expectText(created.locator("td").nth(2), /31 Jan 2030/);
    await expectText(created.locator(".description"), "Cover the web app and the SDK.");
    expect(await form.getByLabel("Title").inputValue()).toBe(""); // the form is ready for the next task

    await page.getByRole("button", { name: "Edit Write the release notes" }).click();
    const edit = page.getByRole("form", { name: "Edit task" });
    expect(await edit.getByLabel("Title").inputValue()).toBe("Write the release notes");
    expect(await edit.getByLabel("Due date").inputValue()).toBe("2030-01-31T17:00");
    await edit.getByLabel("Title").fill("Publish the release notes");
    await edit.getByLabel("Status").selectOption("in_progress");
    await screenshot(page, "task-edit");
    await edit.getByRole("button", { name: "Save changes" }).click();

    const edited = row(page, "Publish the release notes");
    await expectText(edited.locator("td").nth(0), "In progress");
    await expectGone(row(page, "Write the release notes"));
    await page.getByRole("form", { name: "New task" }).waitFor();

    await page.getByRole("button", { name: "Delete Publish the release notes" }).click();
    await expectGone(edited);
    // Nothing filtered and nothing left: the empty board of a new user, which leads to the form.
    await expectText(page.locator(".empty p"), "No tasks yet.");
    await page.getByRole("button", { name: "Add your first task" }).click();
    expect(await form.getByLabel("Title").evaluate((input) => input === document.activeElement)).toBe(true);
    await page.getByLabel("Search").fill("nothing like this");
    await expectText(page.locator(".empty"), "No tasks match.");
  });

  it("filters, searches, sorts and pages the list as the API answers it", async () => {
    const { user, page } = await signedInPage("lists");
    for (let i = 1; i <= 12; i++) {
      await createTask(user.token, {
        title: `Chore ${String(i).padStart(2, "0")}`,
        priority: i % 3 === 0 ? "high" : "low",
        status: i % 4 === 0 ? "done" : "todo",
      });
    }
    await page.reload();
    await expectText(page.getByText("Page 1"), "Page 1");
    // Newest first, ten to a page.
    await expect.poll(() => titles(page)).toEqual(Array.from({ length: 10 }, (_, i) => `Chore ${String(12 - i).padStart(2, "0")}`));
    await page.getByRole("button", { name: "Next page" }).click();
    await expect.poll(() => titles(page)).toEqual(["Chore 02", "Chore 01"]);
    expect(await page.getByRole("button", { name: "Next page" }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Previous page" }).click();
    await expect.poll(() => titles(page)).toHaveLength(10);

    await page.getByLabel("Status filter").selectOption("done");
    await expect.poll(() => titles(page)).toEqual(["Chore 12", "Chore 08", "Chore 04"]);
    await page.getByLabel("Sort").selectOption("created_at");
    await expect.poll(() => titles(page)).toEqual(["Chore 04", "Chore 08", "Chore 12"]);
    await page.getByLabel("Status filter").selectOption("");
    await page.getByLabel("Priority filter").selectOption("high");
    await expect.poll(() => titles(page)).toEqual(["Chore 03", "Chore 06", "Chore 09", "Chore 12"]);
    await page.getByLabel("Search").fill("chore 0");
    await expect.poll(() => titles(page)).toEqual(["Chore 03", "Chore 06", "Chore 09"]);
    // The filters are in the address, so a reload keeps them.
    await page.reload();
    await expect.poll(() => titles(page)).toEqual(["Chore 03", "Chore 06", "Chore 09"]);
    expect(await page.getByLabel("Search").inputValue()).toBe("chore 0");
  });

  it("keeps a second tab in step through the live subscription, without reloading it", async () => {
    const { user, context, page } = await signedInPage("live");
    await createTask(user.token, { title: "Plan the sprint", priority: "medium", due_date: "2030-03-01T09:00:00Z" });
    await createTask(user.token, { title: "Review the pull request", priority: "high", status: "in_progress" });
    const other = await context.newPage(); // same profile: a second tab of the same signed-in user
    await other.goto("/tasks");
    await other.locator("[data-live='live']").waitFor();
    await page.reload();
    await page.locator("[data-live='live']").waitFor();
    await other.evaluate(() => ((window as { stayed?: boolean }).stayed = true));

    const form = page.getByRole("form", { name: "New task" });
    await form.getByLabel("Title").fill("Pair on the live board");
    await form.getByLabel("Priority").selectOption("high");
    await form.getByRole("button", { name: "Add task" }).click();
    await expectText(row(other, "Pair on the live board").locator("td").nth(1), "High");
    await expectText(other.locator(".last-change"), /Task “Pair on the live board” was created\./);
    await screenshot(other, "tasks");

    await page.getByRole("button", { name: "Edit Pair on the live board" }).click();
    await page.getByRole("form", { name: "Edit task" }).getByLabel("Status").selectOption("done");
    await page.getByRole("form", { name: "Edit task" }).getByRole("button", { name: "Save changes" }).click();
    await expectText(row(other, "Pair on the live board").locator("td").nth(0), "Done");

    await page.getByRole("button", { name: "Delete Plan the sprint" }).click();
    await expectGone(row(other, "Plan the sprint"));
    expect(await other.evaluate(() => (window as { stayed?: boolean }).stayed)).toBe(true);
  });
});
