import { createTesseraClient, localStorageTokenStore } from "@tessera/sdk";

/**
 * The one API client of the app: same origin (the server serves this app), tokens in localStorage so a reload
 * stays signed in. `onTokensChange` lets the session follow sign-outs the client decides on (a refused refresh).
 */
type TokenListener = (signedIn: boolean) => void;
const listeners = new Set<TokenListener>();

export const tessera = createTesseraClient({
  url: window.location.origin,
  tokenStore: localStorageTokenStore(),
  onTokensChange: (tokens) => listeners.forEach((listener) => listener(tokens !== null)),
});

export function onSignedInChange(listener: TokenListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
