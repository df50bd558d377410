import { localError, toTesseraError } from "./errors.ts";
import type { RouterOutputs } from "./router.ts";
import type { TesseraTokens, TokenStore } from "./token-store.ts";

/**
 * The token pair as auth.token and auth.refresh answer it (the server's TokenPair, in snake_case as on the wire),
 * less its token_type, which is always Bearer and which the session does not read.
 */
export type TokenPair = Omit<RouterOutputs["auth"]["refresh"]["data"], "token_type">;

export const toTokens = (pair: TokenPair, now = Date.now()): TesseraTokens => ({
  accessToken: pair.access_token,
  refreshToken: pair.refresh_token,
  expiresAt: now + pair.expires_in * 1000,
});

export interface SessionOptions {
  store: TokenStore;
  /** Exchanges a refresh token for a new pair: the auth.refresh procedure. */
  exchange: (refreshToken: string) => Promise<TokenPair>;
  onChange?: ((tokens: TesseraTokens | null) => void) | undefined;
}

/** The client's tokens, and the one place that refreshes them. */
export interface Session {
  tokens(): Promise<TesseraTokens | null>;
  /** The access token to send now. Waits for a refresh in flight, so calls made during one carry the new token. */
  accessToken(): Promise<string | undefined>;
  /** Login, logout, setTokens: replaces the tokens, and a refresh already in flight will not overwrite them. */
  replace(tokens: TesseraTokens | null): Promise<void>;
  /**
   * Exchanges the refresh token for a new pair and stores it. Concurrent callers share one request. Rejects with a
   * TesseraError; when the server refuses the refresh token (INVALID_TOKEN) the tokens are cleared.
   */
  refresh(): Promise<TesseraTokens>;
  /**
   * A call sent with `sentToken` was answered INVALID_TOKEN: may it be retried? Yes at once if the tokens changed
   * since it was sent (another call already refreshed); otherwise after a (shared) refresh, if that succeeds.
   */
  recover(sentToken: string | undefined): Promise<boolean>;
}

export function createSession({ store, exchange, onChange }: SessionOptions): Session {
  let inflight: Promise<TesseraTokens> | undefined;
  // Bumped by replace(): a refresh that started before a login or logout must not write its result over it.
  let generation = 0;

  const write = async (tokens: TesseraTokens | null) => {
    await store.set(tokens);
    onChange?.(tokens);
  };

  async function runRefresh(): Promise<TesseraTokens> {
    const started = generation;
    const current = await store.get();
    if (!current) throw localError("INVALID_TOKEN", "Not signed in: there is no refresh token.");
    let pair: TokenPair;
    try {
      pair = await exchange(current.refreshToken);
    } catch (cause) {
      const error = toTesseraError(cause);
      // Only the server's refusal ends the session: after a network failure the tokens may well still work.
      if (error.code === "INVALID_TOKEN" && started === generation) await write(null);
      throw error;
    }
    const tokens = toTokens(pair);
    if (started === generation) await write(tokens);
    return tokens;
  }

  const session: Session = {
    tokens: async () => store.get(),
    async accessToken() {
      if (inflight) await inflight.catch(() => undefined);
      return (await store.get())?.accessToken;
    },
    async replace(tokens) {
      generation += 1;
      await write(tokens);
    },
    refresh() {
      inflight ??= runRefresh().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    async recover(sentToken) {
      if (inflight) return inflight.then(() => true, () => false);
      const current = await store.get();
      if (!current) return false;
      if (current.accessToken !== sentToken) return true;
      return session.refresh().then(() => true, () => false);
    },
  };
  return session;
}
