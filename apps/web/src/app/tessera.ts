import { createTesseraClient, localStorageTokenStore, type TesseraTokens } from "@tessera/sdk";

/**
 * The one API client of the app: same origin (the server serves this app), tokens in localStorage so a reload
 * stays signed in. `onTokensChange` lets the session follow sign-ins and sign-outs, including those the client
 * decides on (a refused refresh).
 */
type TokenListener = (signedIn: boolean) => void;
const listeners = new Set<TokenListener>();
const tokenStore = localStorageTokenStore();

export const tessera = createTesseraClient({
  url: window.location.origin,
  tokenStore,
  onTokensChange: (tokens) => listeners.forEach((listener) => listener(tokens !== null)),
});

export function onSignedInChange(listener: TokenListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether this browser holds tokens now: localStorage answers at once, so the first render already knows. */
export const hasTokens = () => (tokenStore.get() as TesseraTokens | null) !== null;
