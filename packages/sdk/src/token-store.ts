/** A login session's tokens, as the client keeps them. */
export interface TesseraTokens {
  accessToken: string;
  /** Single use: each refresh returns a new one (docs/contract.md), and the client stores it. */
  refreshToken: string;
  /** When the access token expires, in ms since the epoch by this machine's clock. Informational: the client
   * refreshes when the server answers INVALID_TOKEN, not by the clock. */
  expiresAt: number;
}

/** Where the client keeps tokens. Either method may return a promise (for async storage). */
export interface TokenStore {
  get(): TesseraTokens | null | Promise<TesseraTokens | null>;
  /** `null` clears the tokens. */
  set(tokens: TesseraTokens | null): void | Promise<void>;
}

/** Tokens in memory: gone when the process or page goes. The default. */
export function memoryTokenStore(initial: TesseraTokens | null = null): TokenStore {
  let tokens = initial;
  return {
    get: () => tokens,
    set: (next) => {
      tokens = next;
    },
  };
}

/** The part of the Web Storage API the store uses (localStorage, sessionStorage, or a stand-in). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface LocalStorageTokenStoreOptions {
  /** The storage key; `"tessera.tokens"` by default. */
  key?: string;
  /** `globalThis.localStorage` by default. */
  storage?: StorageLike;
}

const isTokens = (value: unknown): value is TesseraTokens => {
  const tokens = value as Partial<TesseraTokens> | null;
  return typeof tokens === "object" && tokens !== null &&
    typeof tokens.accessToken === "string" && typeof tokens.refreshToken === "string" && typeof tokens.expiresAt === "number";
};

/**
 * Tokens in localStorage, so a page reload stays signed in. Every read goes to storage, so tabs sharing it see
 * each other's rotations. (Anything that can run script on the page can read localStorage: weigh that against
 * memoryTokenStore for your threat model.)
 */
export function localStorageTokenStore(options: LocalStorageTokenStoreOptions = {}): TokenStore {
  const key = options.key ?? "tessera.tokens";
  // Looked up on use, not on creation, so the store can be built during server-side rendering and used in the browser.
  const storage = (): StorageLike => {
    const found = options.storage ?? (globalThis as { localStorage?: StorageLike }).localStorage;
    if (!found) throw new Error("localStorageTokenStore: no localStorage here; pass `storage` or use memoryTokenStore().");
    return found;
  };
  return {
    get() {
      const raw = storage().getItem(key);
      if (raw === null) return null;
      try {
        const parsed: unknown = JSON.parse(raw);
        // Something else wrote this key, or an older format: treat it as signed out rather than fail every call.
        return isTokens(parsed) ? parsed : null;
      } catch {
        return null;
      }
    },
    set(tokens) {
      if (tokens === null) storage().removeItem(key);
      else storage().setItem(key, JSON.stringify(tokens));
    },
  };
}
