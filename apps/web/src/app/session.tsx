import { type CurrentUser, isTesseraError, type LoginInput } from "@tessera/sdk";
import { useTRPC } from "@tessera/sdk/react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from "react";
import { hasTokens, onSignedInChange, tessera } from "./tessera.ts";

/**
 * - `loading`: this browser holds tokens and `auth.me` is on its way: who is signed in is not known yet.
 * - `unreachable`: it holds tokens but `auth.me` failed without the server refusing them (the server cannot be
 *   reached, or is failing): the session is kept, and `auth.me` is asked again until it answers.
 */
export type SessionStatus = "loading" | "signed-in" | "signed-out" | "unreachable";

export interface Session {
  status: SessionStatus;
  /** The signed-in user; `null` when signed out, `undefined` while loading or unreachable. */
  user: CurrentUser | null | undefined;
  /** What went wrong, when unreachable. */
  problem: string | null;
  /** Asks `auth.me` again now (it is asked every few seconds anyway while unreachable). */
  retry(): void;
  login(input: LoginInput): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);
const RETRY_MS = 5000;

const problemOf = (error: unknown) =>
  isTesseraError(error) && error.code === "NETWORK_ERROR"
    ? "The server cannot be reached."
    : `The server could not say who is signed in: ${error instanceof Error ? error.message : String(error)}`;

/** Who is signed in: `auth.me` while the client holds tokens, kept in step with sign-ins and sign-outs in other tabs. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [signedIn, setSignedIn] = useState(hasTokens);
  const me = useQuery(
    trpc.auth.me.queryOptions(undefined, {
      enabled: signedIn,
      staleTime: Infinity,
      select: (answer) => answer.data,
      refetchInterval: (query) => (query.state.status === "error" ? RETRY_MS : false),
    }),
  );

  useEffect(() => {
    // Nothing of the previous user stays in the cache.
    const follow = (now: boolean) => {
      setSignedIn(now);
      if (!now) queryClient.removeQueries();
    };
    // Signed in or out by this tab's client (a refused refresh included), or, through localStorage, by another tab.
    const stopListening = onSignedInChange(follow);
    const onStorage = (event: StorageEvent) => {
      if (event.key === "tessera.tokens" && (event.newValue === null) !== (event.oldValue === null)) follow(event.newValue !== null);
    };
    window.addEventListener("storage", onStorage);
    return () => {
      stopListening();
      window.removeEventListener("storage", onStorage);
    };
  }, [queryClient]);

  const status: SessionStatus = !signedIn ? "signed-out" : me.data ? "signed-in" : me.isError ? "unreachable" : "loading";
  const { refetch } = me;
  const session = useMemo<Session>(
    () => ({
      status,
      user: status === "signed-out" ? null : status === "signed-in" ? me.data : undefined,
      problem: status === "unreachable" ? problemOf(me.error) : null,
      retry: () => void refetch(),
      async login(input) {
        queryClient.removeQueries();
        await tessera.login(input);
        await queryClient.fetchQuery(trpc.auth.me.queryOptions(undefined, { staleTime: Infinity }));
      },
      async logout() {
        // The tokens are cleared even when the server cannot be told; the screen follows either way.
        await tessera.logout().catch(() => undefined);
        queryClient.removeQueries();
      },
    }),
    [status, me.data, me.error, refetch, queryClient, trpc],
  );

  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession needs a SessionProvider above it.");
  return session;
}
