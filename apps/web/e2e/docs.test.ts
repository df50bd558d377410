import { describe, expect, inject, it } from "vitest";
import { screenshot, useBrowser } from "./browser.ts";

const browser = useBrowser();
// HEAD is documented wherever GET is: Swagger UI lists it as an operation too.
const METHODS = ["get", "head", "post", "put", "patch", "delete"];

describe("/docs", () => {
  it("renders the API reference with every REST route of the OpenAPI document", async () => {
    const document = (await (await fetch(`${inject("baseUrl")}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(document.paths)
      .flatMap(([path, operations]) => Object.keys(operations).filter((method) => METHODS.includes(method)).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(routes.length).toBeGreaterThan(20);

    const page = await (await browser.newContext()).newPage();
    await page.goto("/docs");
    await page.getByRole("heading", { name: /Tessera API/ }).waitFor();
    await page.locator(".opblock").first().waitFor();
    const listed = await page.locator(".opblock").evaluateAll((blocks) =>
      blocks.map((block) => `${block.querySelector(".opblock-summary-method")?.textContent} ${block.querySelector(".opblock-summary-path")?.getAttribute("data-path")}`),
    );
    expect(listed.sort()).toEqual(routes);
    await screenshot(page, "docs", { fullPage: false });
  });
});
