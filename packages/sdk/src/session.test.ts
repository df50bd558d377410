/**
 * The session's refresh rules with a scripted exchange: deterministic orderings that a live server cannot force.
 * The same rules over real HTTP are in client.test.ts.
 */
import { describe, expect, it, vi } from "vitest";
import { localError, TesseraError } from "./errors.ts";
import { createSession, type TokenPair } from "./session.ts";
import { memoryTokenStore, type TesseraTokens } from "./token-store.ts";

const signedIn: TesseraTokens = { accessToken: "access-1", refreshToken: "refresh-1", expiresAt: 0 };
const pair = (n: number): TokenPair => ({ access_token: `access-${n}`, refresh_token: `refresh-${n}`, expires_in: 60 });

/** An exchange whose answers the test releases by hand. */
function scriptedExchange() {
  const pending: { refreshToken: string; resolve: (pair: TokenPair) => void; reject: (error: unknown) => void }[] = [];
  const exchange = vi.fn(
    (refreshToken: string) => new Promise<TokenPair>((resolve, reject) => pending.push({ refreshToken, resolve, reject })),
  );
  return { exchange, pending };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("createSession", () => {
  it("shares one exchange among concurrent refreshes, stores the rotated pair and reports it", async () => {
    const { exchange, pending } = scriptedExchange();
    const onChange = vi.fn();
    const store = memoryTokenStore(signedIn);
    const session = createSession({ store, exchange, onChange });

    const results = Promise.all([session.refresh(), session.refresh(), session.recover("access-1"), session.recover("access-1")]);
    await settle();
    expect(exchange).toHaveBeenCalledTimes(1);
    expect(pending[0]!.refreshToken).toBe("refresh-1");
    pending[0]!.resolve(pair(2));

    const [first, second, retryA, retryB] = await results;
    expect(first).toBe(second);
    expect([retryA, retryB]).toEqual([true, true]);
    expect(store.get()).toMatchObject({ accessToken: "access-2", refreshToken: "refresh-2" });
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ accessToken: "access-2" }));
  });

  it("makes a call that failed with an already-replaced token retry without another refresh", async () => {
    const { exchange } = scriptedExchange();
    const session = createSession({ store: memoryTokenStore({ ...signedIn, accessToken: "access-2" }), exchange });
    await expect(session.recover("access-1")).resolves.toBe(true);
    expect(exchange).not.toHaveBeenCalled();
  });

  it("lets a call made during a refresh wait for it and carry the new token", async () => {
    const { exchange, pending } = scriptedExchange();
    const session = createSession({ store: memoryTokenStore(signedIn), exchange });
    const refreshed = session.refresh();
    const token = session.accessToken();
    await settle();
    pending[0]!.resolve(pair(2));
    await refreshed;
    await expect(token).resolves.toBe("access-2");
  });

  it("clears the tokens when the server refuses the refresh token, and says no to retrying", async () => {
    const { exchange, pending } = scriptedExchange();
    const onChange = vi.fn();
    const store = memoryTokenStore(signedIn);
    const session = createSession({ store, exchange, onChange });
    const refreshed = session.refresh();
    const retry = session.recover("access-1");
    await settle();
    pending[0]!.reject(localError("INVALID_TOKEN", "Invalid or expired token."));

    await expect(refreshed).rejects.toSatisfy((error) => error instanceof TesseraError && error.code === "INVALID_TOKEN");
    await expect(retry).resolves.toBe(false);
    expect(store.get()).toBeNull();
    expect(onChange).toHaveBeenLastCalledWith(null);
    // The next refresh starts afresh (and, signed out, fails without a request).
    await expect(session.refresh()).rejects.toMatchObject({ code: "INVALID_TOKEN" });
    expect(exchange).toHaveBeenCalledTimes(1);
  });

  it("keeps the tokens when the refresh fails for another reason (the network), as a TesseraError", async () => {
    const { exchange, pending } = scriptedExchange();
    const store = memoryTokenStore(signedIn);
    const session = createSession({ store, exchange });
    const refreshed = session.refresh();
    await settle();
    pending[0]!.reject(new TypeError("fetch failed"));
    await expect(refreshed).rejects.toMatchObject({ name: "TesseraError", code: "NETWORK_ERROR", message: "fetch failed" });
    expect(store.get()).toEqual(signedIn);
  });

  it("does not refresh when signed out", async () => {
    const { exchange } = scriptedExchange();
    const session = createSession({ store: memoryTokenStore(), exchange });
    await expect(session.recover(undefined)).resolves.toBe(false);
    await expect(session.refresh()).rejects.toMatchObject({ code: "INVALID_TOKEN" });
    expect(exchange).not.toHaveBeenCalled();
  });

  it("lets a logout or login during a refresh win over the refresh's result", async () => {
    const { exchange, pending } = scriptedExchange();
    const store = memoryTokenStore(signedIn);
    const session = createSession({ store, exchange });

    const refreshed = session.refresh();
    await settle();
    await session.replace(null);
    pending[0]!.resolve(pair(2));
    await refreshed;
    expect(store.get()).toBeNull();

    await session.replace(signedIn);
    const refusedLater = session.refresh();
    await settle();
    const relogin = { ...signedIn, accessToken: "access-9" };
    await session.replace(relogin);
    pending[1]!.reject(localError("INVALID_TOKEN", "spent"));
    await expect(refusedLater).rejects.toMatchObject({ code: "INVALID_TOKEN" });
    expect(store.get()).toEqual(relogin);
  });

  it("works with an asynchronous store", async () => {
    let saved: TesseraTokens | null = signedIn;
    const store = { get: async () => saved, set: async (tokens: TesseraTokens | null) => void (saved = tokens) };
    const session = createSession({ store, exchange: async () => pair(3) });
    await expect(session.refresh()).resolves.toMatchObject({ accessToken: "access-3" });
    expect(saved).toMatchObject({ refreshToken: "refresh-3" });
    await expect(session.accessToken()).resolves.toBe("access-3");
  });
});
