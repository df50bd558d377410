/**
 * patches/@trpc+server+11.25.2.patch (see patches/README.md): tRPC's spread helper is the patched one, and it copies
 * what tRPC spreads (plain objects into a fresh target) exactly as the original helper did.
 */
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

type Spread = (target: object, ...sources: unknown[]) => Record<PropertyKey, unknown>;

/** The helper as tRPC's ESM build exports it from its shared chunk (`n`, by the build's own export list). */
async function trpcSpread(): Promise<Spread> {
  const dist = path.join(path.dirname(createRequire(import.meta.url).resolve("@trpc/server/package.json")), "dist");
  const chunk = readdirSync(dist).find((file) => /^getErrorShape-.*\.mjs$/.test(file))!;
  const module = (await import(pathToFileURL(path.join(dist, chunk)).href)) as Record<string, unknown>;
  return Object.values(module).find((value) => typeof value === "function" && value.name === "_objectSpread2") as Spread;
}

describe("tRPC's spread helper", () => {
  it("is the patched one (Object.assign)", async () => {
    const spread = await trpcSpread();
    expect(spread).toBeTypeOf("function");
    expect(spread.toString()).toContain("Object.assign");
  });

  it("gives what the object spread in tRPC's source gives, for the calls its build makes", async () => {
    const spread = await trpcSpread();
    const symbol = Symbol("s");
    let reads = 0;
    const withGetter = Object.defineProperty({ kept: 1 }, "computed", { enumerable: true, get: () => (reads++, "computed") });
    const hidden = Object.defineProperty({ shown: true, b: 3 }, "hidden", { enumerable: false, value: "no" });
    const inherited = Object.assign(Object.create({ fromPrototype: true }) as object, { own: "yes" });
    const first = { a: 1, b: 1, [symbol]: "symbol" };
    // The build writes `{ ...x, ...y }` as spread(spread({}, x), y), `{ ...x, a, b() {} }` as
    // spread(spread({}, x), {}, { a, b() {} }) (the literal's own properties in the even place), `{ ...x }` as spread({}, x).
    const literal = { b: "literal", method() {} };
    const cases: [Record<PropertyKey, unknown>, Record<PropertyKey, unknown>][] = [
      [spread(spread({}, first), withGetter), { ...first, ...withGetter }],
      [spread(spread({}, hidden), inherited), { ...hidden, ...inherited }],
      [spread(spread({}, withGetter), {}, literal), { ...withGetter, ...literal }],
      [spread(spread({}, first), {}, literal), { ...first, ...literal }],
      [spread({}, inherited), { ...inherited }],
    ];
    for (const [patched, native] of cases) {
      expect(patched).toEqual(native);
      expect(Reflect.ownKeys(patched)).toEqual(Reflect.ownKeys(native));
      for (const key of Reflect.ownKeys(native)) {
        expect(Object.getOwnPropertyDescriptor(patched, key)).toEqual(Object.getOwnPropertyDescriptor(native, key));
      }
    }
    expect(reads).toBe(4); // once in each of the four spreads of withGetter above, patched and native alike
  });
});
