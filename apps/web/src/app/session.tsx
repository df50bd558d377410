import { type CurrentUser, type LoginInput } from "@tessera/sdk";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useMemo } from "react";
import { onSignedInChange, tessera } from "./tessera.ts";

export interface Session {
  /** `undefined` while the first `me` call is on its way, `null` when signed out. */
  user: CurrentUser | null | undefined;
  login(input: LoginInput): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);
/** The query of who is signed in; invalidate it when the user's role changes. */
export const ME = ["me"] as const;

/** Who is signed in: `auth.me` when the client holds tokens, kept in step with sign-ins and sign-outs in other tabs. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const me = useQuery({
    queryKey: ME,
    queryFn: async () => ((await tessera.getTokens()) ? (await tessera.auth.me.query()).data : null),
    staleTime: Infinity,
    retry: false,
  });

  useEffect(() => {
    // Signed out by the client itself (a refused refresh) or, through localStorage, by another tab.
    const signedOut = () => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== ME[0] });
      queryClient.setQueryData(ME, null);
    };
    const stopListening = onSignedInChange((signedIn) => !signedIn && signedOut());
    const onStorage = (event: StorageEvent) => {
      if (event.key !== "tessera.tokens") return;
      if (event.newValue === null) signedOut();
      else if (event.oldValue === null) void queryClient.invalidateQueries({ queryKey: ME }); // signed in over there
    };
    window.addEventListener("storage", onStorage);
    return () => {
      stopListening();
      window.removeEventListener("storage", onStorage);
    };
  }, [queryClient]);

  const session = useMemo<Session>(
    () => ({
      user: me.isError ? null : me.data,
      async login(input) {
        await tessera.login(input);
        queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== ME[0] });
        await queryClient.fetchQuery({ queryKey: ME, queryFn: async () => (await tessera.auth.me.query()).data });
      },
      async logout() {
        // The tokens are cleared even when the server cannot be told; the screen follows either way.
        await tessera.logout().catch(() => undefined);
        queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== ME[0] });
        queryClient.setQueryData(ME, null);
      },
    }),
    [me.data, me.isError, queryClient],
  );

  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession needs a SessionProvider above it.");
  return session;
}
