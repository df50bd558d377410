import { describe, expect, it } from "vitest";
import { localStorageTokenStore, memoryTokenStore, type StorageLike, type TesseraTokens } from "./token-store.ts";

const tokens: TesseraTokens = { accessToken: "a.b.c", refreshToken: "r1", expiresAt: 1_700_000_000_000 };

/** A Web Storage stand-in that records what it is asked to do. */
function fakeStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  const storage: StorageLike = {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
  return { storage, items };
}

describe("memoryTokenStore", () => {
  it("starts empty (or with the given tokens), keeps what is set, and clears with null", () => {
    const store = memoryTokenStore();
    expect(store.get()).toBeNull();
    store.set(tokens);
    expect(store.get()).toEqual(tokens);
    store.set(null);
    expect(store.get()).toBeNull();
    expect(memoryTokenStore(tokens).get()).toEqual(tokens);
  });

  it("keeps each store's tokens apart", () => {
    const [one, two] = [memoryTokenStore(), memoryTokenStore()];
    one.set(tokens);
    expect(two.get()).toBeNull();
  });
});

describe("localStorageTokenStore", () => {
  it("stores JSON under tessera.tokens by default, reads it back, and removes the key on null", () => {
    const { storage, items } = fakeStorage();
    const store = localStorageTokenStore({ storage });
    expect(store.get()).toBeNull();
    store.set(tokens);
    expect(JSON.parse(items.get("tessera.tokens")!)).toEqual(tokens);
    expect(store.get()).toEqual(tokens);
    store.set(null);
    expect(items.has("tessera.tokens")).toBe(false);
    expect(store.get()).toBeNull();
  });

  it("uses the given key", () => {
    const { storage, items } = fakeStorage();
    localStorageTokenStore({ storage, key: "app.session" }).set(tokens);
    expect([...items.keys()]).toEqual(["app.session"]);
  });

  it("reads storage on every get, so a rotation by another tab (another store on the same storage) is seen", () => {
    const { storage } = fakeStorage();
    const [tabA, tabB] = [localStorageTokenStore({ storage }), localStorageTokenStore({ storage })];
    tabA.set(tokens);
    tabB.set({ ...tokens, refreshToken: "r2" });
    expect(tabA.get()).toEqual({ ...tokens, refreshToken: "r2" });
  });

  it.each([
    ["not JSON", "{oops"],
    ["another shape", JSON.stringify({ token: "x" })],
    ["a wrong field type", JSON.stringify({ ...tokens, expiresAt: "soon" })],
    ["null", "null"],
  ])("treats %s under its key as signed out", (_what, raw) => {
    const { storage } = fakeStorage({ "tessera.tokens": raw });
    expect(localStorageTokenStore({ storage }).get()).toBeNull();
  });

  it("uses globalThis.localStorage when none is given, looked up on use rather than on creation", () => {
    const store = localStorageTokenStore();
    expect(() => store.get()).toThrow(/no localStorage/);
    const { storage, items } = fakeStorage();
    (globalThis as { localStorage?: StorageLike }).localStorage = storage;
    try {
      store.set(tokens);
      expect(items.has("tessera.tokens")).toBe(true);
    } finally {
      delete (globalThis as { localStorage?: StorageLike }).localStorage;
    }
  });
});
