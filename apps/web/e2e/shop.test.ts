import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { addToCart, newUser, sellerWithProduct, signIn, uniqueName } from "./api.ts";
import { expectText, fieldError, screenshot, useBrowser } from "./browser.ts";
import { makePng } from "./png.ts";

const browser = useBrowser();

async function signedInPage(username: string) {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, username);
  return page;
}

const nav = (page: Page, name: string) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true }).click();
const orderRow = (page: Page, text: string) => page.locator("table.list tbody tr", { hasText: text });
/** Whether an <img> has loaded real pixels (its bytes came from GET /api/images/{id}). */
const loaded = (page: Page, selector: string) => page.locator(selector).first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);

describe("the shop", () => {
  it("sells a product from one user's store to another user, who watches it ship live", async () => {
    const sellerUser = await newUser("seller");
    const buyerUser = await newUser("buyer");
    const productName = uniqueName("Blue teapot");
    const storeName = uniqueName("Tea House");

    // The seller opens a store: the API's message beside the store name first, then the store.
    const seller = await signedInPage(sellerUser.username);
    await nav(seller, "Sell");
    await seller.getByRole("button", { name: "Open my store" }).click();
    await expectText(fieldError(seller, "Store name"), "This field is required.");
    await seller.getByLabel("Store name").fill(storeName);
    await seller.getByRole("button", { name: "Open my store" }).click();

    // A product with stock, then its image (PNG bytes made here), after a refused text file.
    const form = seller.getByRole("form", { name: "New product" });
    await form.getByLabel("Name").fill(productName);
    await form.getByLabel("Description").fill("Glazed stoneware, holds 1.2 litres.\nDishwasher safe.");
    await form.getByLabel("Price").fill("24.5");
    await form.getByLabel("Stock").fill("3");
    await form.getByLabel("Categories").fill("Kitchen, Tea");
    await form.getByRole("button", { name: "Create product" }).click();
    await seller.getByRole("heading", { name: productName }).waitFor();
    expect(await seller.getByRole("form", { name: "Edit product" }).getByLabel("Price").inputValue()).toBe("24.50");

    const upload = seller.getByRole("form", { name: "Upload an image" });
    await upload.getByLabel("Image file").setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("not a picture") });
    await upload.getByRole("button", { name: "Upload image" }).click();
    await expectText(fieldError(seller, "Image file"), /.+/); // 415: the content is no image, whatever its name says
    await upload.getByLabel("Image file").setInputFiles({ name: "teapot.png", mimeType: "image/png", buffer: makePng() });
    await upload.getByRole("button", { name: "Upload image" }).click();
    await expectText(seller.getByRole("status").filter({ hasText: "uploaded" }), "Image uploaded.");
    await seller.getByRole("img", { name: `${productName}, image 1` }).waitFor();
    await expect.poll(() => loaded(seller, ".image-list img")).toBe(true);
    await screenshot(seller, "seller-product");

    // The buyer finds it in the shop, in its category, and opens it.
    const buyer = await signedInPage(buyerUser.username);
    await nav(buyer, "Shop");
    await buyer.getByLabel("Category").selectOption("kitchen");
    await buyer.getByLabel("Search products").fill(productName.slice(-8));
    await expect.poll(() => buyer.locator(".product-card h2").allTextContents()).toEqual([productName]);
    await expectText(buyer.locator(".product-card .store"), storeName);
    await expect.poll(() => loaded(buyer, ".product-card img")).toBe(true);
    await screenshot(buyer, "shop");
    await buyer.getByRole("link", { name: productName }).click();
    await buyer.getByRole("heading", { name: productName }).waitFor();
    await expectText(buyer.locator(".price.big"), /^(US)?\$24\.50$/);
    await expectText(buyer.locator(".in-stock"), "3 in stock");
    await expect.poll(() => loaded(buyer, "img.photo")).toBe(true);

    // Four is more than the stock: the API's message beside the quantity. Two fit.
    await buyer.getByLabel("Quantity").fill("4");
    await buyer.getByRole("button", { name: "Add to cart" }).click();
    await expectText(fieldError(buyer, "Quantity"), "Only 3 in stock.");
    await buyer.getByLabel("Quantity").fill("2");
    await buyer.getByRole("button", { name: "Add to cart" }).click();
    await expectText(buyer.getByRole("status").filter({ hasText: "Added" }), `Added 2 × ${productName} to your cart. Go to your cart`);
    await screenshot(buyer, "product");

    await buyer.getByRole("link", { name: "Go to your cart" }).click();
    await buyer.getByRole("heading", { name: "Cart" }).waitFor();
    await expectText(buyer.locator(".subtotal"), /^(US)?\$49\.00$/);
    await buyer.getByLabel("Payment method").selectOption("pm_card_visa");
    await screenshot(buyer, "cart");
    await buyer.getByRole("button", { name: "Place order" }).click();

    await buyer.getByRole("heading", { name: "Orders" }).waitFor();
    await expectText(buyer.getByRole("status").filter({ hasText: "Order placed" }), "Order placed successfully.");
    await expectText(orderRow(buyer, productName).locator(".badge"), "Paid");
    await orderRow(buyer, productName).getByRole("link").click();
    await buyer.getByRole("heading", { name: /^Order / }).waitFor();
    await expectText(buyer.locator(".order-status"), "Paid");
    await buyer.locator("[data-live='live']").waitFor();
    await buyer.evaluate(() => ((window as { stayed?: boolean }).stayed = true));

    // The seller sees the order and ships it; the buyer's page follows without a reload.
    await seller.getByRole("link", { name: "← Your store" }).click();
    await seller.getByRole("link", { name: "Orders for your products" }).click();
    await expectText(orderRow(seller, buyerUser.username).locator(".badge"), "Paid");
    await expectText(orderRow(seller, buyerUser.username).locator("td").nth(1), `2 × ${productName}`);
    await seller.locator("[data-live='live']").waitFor();
    await screenshot(seller, "seller-orders");
    await orderRow(seller, buyerUser.username).getByRole("button", { name: /^Ship order/ }).click();
    await expectText(orderRow(seller, buyerUser.username).locator(".badge"), "Shipped");

    await expectText(buyer.locator(".order-status"), "Shipped");
    await expectText(buyer.locator(".last-change"), /is now Shipped\.$/);
    expect(await buyer.evaluate(() => (window as { stayed?: boolean }).stayed)).toBe(true);
    await expect.poll(() => buyer.locator(".history .badge").allTextContents()).toEqual(["Pending payment", "Paid", "Shipped"]);
    await screenshot(buyer, "order");

    // Two of the three were sold.
    await buyer.goto(`/shop?q=${encodeURIComponent(productName)}`);
    await buyer.getByRole("link", { name: productName }).click();
    await expectText(buyer.locator(".in-stock"), "1 in stock");
  });

  it("shows a declined card's message beside the payment method and keeps the cart", async () => {
    const { product } = await sellerWithProduct({ name: uniqueName("Oak stool"), price_cents: 4200, stock: 5, categories: ["furniture"] });
    const buyerUser = await newUser("buyer");
    await addToCart(buyerUser.token, product.id, 1);

    const buyer = await signedInPage(buyerUser.username);
    await nav(buyer, "Cart");
    await expectText(buyer.locator(".subtotal"), /^(US)?\$42\.00$/);
    await buyer.getByLabel("Payment method").selectOption("pm_card_chargeDeclined");
    await buyer.getByRole("button", { name: "Place order" }).click();

    await expectText(buyer.getByRole("alert"), "Payment declined: Your card was declined.");
    await expectText(fieldError(buyer, "Payment method"), "Your card was declined. (decline code: generic_decline)");
    await screenshot(buyer, "checkout-declined");
    // The cart is kept, and the stock was given back.
    await buyer.reload();
    await buyer.getByRole("rowheader", { name: product.name }).waitFor();
    await expectText(buyer.locator(".subtotal"), /^(US)?\$42\.00$/);

    // Another card is another attempt (a fresh Idempotency-Key): it is charged.
    await buyer.getByLabel("Payment method").selectOption("pm_card_mastercard");
    await buyer.getByRole("button", { name: "Place order" }).click();
    await expectText(buyer.getByRole("status").filter({ hasText: "Order placed" }), "Order placed successfully.");
    await expect.poll(() => buyer.locator("table.list tbody .badge").allTextContents()).toEqual(["Paid", "Payment failed"]);
    await nav(buyer, "Cart");
    await expectText(buyer.locator(".empty"), /^Your cart is empty\./);
  });
});
