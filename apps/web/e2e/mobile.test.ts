/**
 * The app on a phone (390 px wide; 360 and 430 too): every screen without sideways page scrolling, the menu, the
 * state shown while the API cannot be reached, and the neutral header while the session loads. Screenshots at 390.
 */
import type { Page, Route } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { createTask, newUser, PASSWORD, sdkAs, sellerWithProduct, signIn, uniqueName } from "./api.ts";
import { expectText, screenshot, useBrowser } from "./browser.ts";
import { makePng } from "./png.ts";

const browser = useBrowser();
const PHONE = { width: 390, height: 844 };
const WIDTHS = [360, 390, 430];

/** How far the page scrolls sideways at each phone width (0: it does not). */
async function sidewaysScroll(page: Page): Promise<Record<number, number>> {
  const overflow: Record<number, number> = {};
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: PHONE.height });
    overflow[width] = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  }
  await page.setViewportSize(PHONE);
  return overflow;
}

const NONE = Object.fromEntries(WIDTHS.map((width) => [width, 0]));

async function phone(username?: string, password = PASSWORD) {
  const page = await (await browser.newContext(PHONE)).newPage();
  if (username) await signIn(page, username, password);
  return page;
}

/** Opens `path`, waits for its heading, checks the widths, and saves a screenshot when named. */
async function visit(page: Page, path: string, heading: string | RegExp, shot?: string) {
  await page.goto(path);
  await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
  expect(await sidewaysScroll(page), path).toEqual(NONE);
  if (shot) await screenshot(page, shot);
}

describe("on a phone", () => {
  it("no screen scrolls sideways at 360–430 px, the menu holds every link, and folded failed payments open", async () => {
    // A store with a product and its image (uploaded with the SDK's helper); a buyer with tasks, keys, a cart and
    // orders: two declined cards, then a paid order.
    const name = uniqueName("Glazed stoneware teapot with a very long name");
    const { seller, product } = await sellerWithProduct({ name, description: "Holds 1.2 litres.", price_cents: 2450, stock: 9, categories: ["kitchen"] });
    const sellerSdk = await sdkAs(seller.username);
    const image = await sellerSdk.uploadProductImage(product.id, makePng(), { filename: "teapot.png" });
    expect((await sellerSdk.products.get.query({ id: product.id })).data.images.map((i) => i.image_id)).toEqual([image.image_id]);

    const buyer = await newUser("phone_buyer");
    const buyerSdk = await sdkAs(buyer.username);
    await createTask(buyer.token, { title: "Call the plumber about the kitchen tap", priority: "high", due_date: "2030-05-01T09:00:00Z" });
    await createTask(buyer.token, { title: "Renew the passport", status: "in_progress" });
    await buyerSdk.data.create.mutate({ key: "preferences.theme.colour-scheme.long-key", value: "a value that is long enough to wrap twice on a phone screen" });
    // A declined card keeps the cart: the same cart is tried with each card, each try with a key of its own.
    await buyerSdk.cart.add.mutate({ product_id: product.id, quantity: 1 });
    for (const card of ["pm_card_chargeDeclined", "pm_card_insufficientFunds", "pm_card_visa"]) {
      await buyerSdk.checkout.place.mutate({ payment_method: card }, { context: { idempotencyKey: uniqueName("key") } }).catch(() => undefined);
    }
    await buyerSdk.cart.add.mutate({ product_id: product.id, quantity: 2 });
    const orders = (await buyerSdk.orders.list.query({})).data.items;
    expect(orders.map((order) => order.status)).toEqual(["paid", "payment_failed", "payment_failed"]);

    const guest = await phone();
    await visit(guest, "/login", "Sign in", "phone-login");
    await visit(guest, "/register", "Create an account");
    await visit(guest, "/shop", "Shop");
    await visit(guest, `/shop/${product.id}`, name);
    await visit(guest, "/no-such-page", "Page not found");

    const page = await phone(buyer.username);
    await visit(page, "/tasks", "Tasks", "phone-tasks");
    await visit(page, "/data", "Key-value data");
    await visit(page, "/shop", "Shop", "phone-shop");
    await visit(page, `/shop/${product.id}`, name, "phone-product");
    await visit(page, "/cart", "Cart", "phone-cart");
    await visit(page, `/orders/${orders[0]!.id}`, /^Order /);
    await visit(page, "/orders", "Orders");
    // The two declined attempts are one row until asked for.
    await expect.poll(() => page.locator("table.list tbody .badge").allTextContents()).toEqual(["Paid", "Payment failed"]);
    await expectText(page.locator("tr.failed-attempts th"), /^2 failed payment attempts/);
    await screenshot(page, "phone-orders");
    await page.getByRole("button", { name: "Show 2 failed payment attempts" }).click();
    await expect.poll(() => page.locator("table.list tbody .badge").allTextContents()).toEqual(["Paid", "Payment failed", "Payment failed", "Payment failed"]);
    expect(await sidewaysScroll(page)).toEqual(NONE);
    await page.getByLabel("Status filter").selectOption("payment_failed");
    await expect.poll(() => page.locator("table.list tbody tr").count()).toBe(2);

    // The menu: closed, a button; open, every link inside the screen's width; following a link closes it.
    const menu = page.getByRole("button", { name: "Menu" });
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    expect(await page.getByRole("link", { name: "API reference" }).isVisible()).toBe(false);
    await menu.click();
    const links = page.getByRole("navigation", { name: "Main" }).getByRole("link");
    expect(await links.allTextContents()).toEqual(["Tasks", "Key-value data", "Shop", "Cart", "Orders", "Sell", "API reference"]);
    for (const box of await Promise.all((await links.all()).map((link) => link.boundingBox()))) {
      expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    }
    expect(await sidewaysScroll(page)).toEqual(NONE);
    await screenshot(page, "phone-menu", { fullPage: false });
    await links.filter({ hasText: "Key-value data" }).click();
    await page.getByRole("heading", { name: "Key-value data" }).waitFor();
    expect(await menu.getAttribute("aria-expanded")).toBe("false");

    const store = await phone(seller.username);
    await visit(store, "/seller", "Your store");
    await visit(store, `/seller/products/${product.id}`, name, "phone-seller-product");
    await visit(store, "/seller/orders", "Orders for your products");

    const admin = inject("admin");
    const adminPage = await phone(admin.username, admin.password);
    await visit(adminPage, "/admin/users", "Users");
  });

  it("keeps a signed-in user's session when the API cannot be reached, says so, and carries on once it answers", async () => {
    const { username } = await newUser("offline");
    const page = await phone(username);
    // Every call to the API now fails as if the server were down.
    await page.route("**/trpc/**", (route) => route.abort("connectionrefused"));
    await page.reload();
    await expectText(page.getByRole("alert").locator("strong"), "The server cannot be reached.");
    expect(new URL(page.url()).pathname).toBe("/tasks");
    expect(await page.getByRole("heading", { name: "Sign in" }).count()).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem("tessera.tokens"))).not.toBeNull();
    expect(await sidewaysScroll(page)).toEqual(NONE);
    await screenshot(page, "phone-unreachable");

    await page.unroute("**/trpc/**");
    await page.getByRole("button", { name: "Try again" }).click();
    await page.getByRole("heading", { name: "Tasks" }).waitFor();
    expect(await page.getByRole("alert").count()).toBe(0);
  });

  it("shows neither signed-out nor signed-in links while the session loads", async () => {
    const { username } = await newUser("loading");
    const page = await phone(username);
    // auth.me is held until the header has been looked at.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let seen!: () => void;
    const asked = new Promise<void>((resolve) => (seen = resolve));
    await page.route("**/trpc/auth.me**", async (route: Route) => {
      seen();
      await held;
      await route.continue();
    });
    await page.reload();
    await asked;
    const header = page.locator("header.top-bar");
    expect(await header.getAttribute("aria-busy")).toBe("true");
    await expectText(header, "Tessera");
    expect(await header.getByRole("link").count()).toBe(0);
    expect(await header.getByRole("button").count()).toBe(0);
    release();
    await page.getByRole("heading", { name: "Tasks" }).waitFor();
    await page.getByRole("button", { name: "Menu" }).click();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tasks" }).waitFor();
    expect(await header.getAttribute("aria-busy")).toBeNull();
  });
});
