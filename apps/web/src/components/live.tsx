import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";

export type LiveState = "connecting" | "live" | "offline";

/** What a screen passes to an SDK subscription (`tessera.x.onChange.subscribe(undefined, handlers)`). */
export interface LiveHandlers<E> {
  onStarted: () => void;
  onData: (event: E) => void;
  onConnectionStateChange: (connection: { state: string; error: unknown }) => void;
  onError: () => void;
}

/**
 * Follows a live subscription: every event reloads the queries under `queryKeys`, so what a screen shows stays
 * exactly as the server would answer it. They also reload whenever the stream (re)starts, so nothing changed while
 * it was down is missed. `subscribe`, `queryKeys` and `describe` must be constants (defined outside components).
 */
export function useLiveReload<E>(
  subscribe: (handlers: LiveHandlers<E>) => { unsubscribe: () => void },
  queryKeys: readonly (readonly string[])[],
  describe: (event: E) => string,
): { state: LiveState; lastChange: string | null } {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>("connecting");
  const [lastChange, setLastChange] = useState<string | null>(null);
  useEffect(() => {
    const reload = () => queryKeys.forEach((queryKey) => void queryClient.invalidateQueries({ queryKey }));
    const subscription = subscribe({
      onStarted: () => {
        setState("live");
        reload();
      },
      onData: (event) => {
        setLastChange(describe(event));
        reload();
      },
      onConnectionStateChange: (connection) => {
        if (connection.state === "connecting") setState(connection.error ? "offline" : "connecting");
      },
      onError: () => setState("offline"),
    });
    return () => subscription.unsubscribe();
  }, [queryClient, subscribe, queryKeys, describe]);
  return { state, lastChange };
}

const LIVE_TEXT: Record<LiveState, string> = { connecting: "connecting…", live: "on", offline: "offline, retrying…" };

/** "Live updates: on · <the last change>", announced politely. */
export function LiveIndicator({ state, lastChange }: { state: LiveState; lastChange: string | null }) {
  return (
    <p className={`live live-${state}`} role="status" data-live={state}>
      <span className="dot" aria-hidden="true" /> Live updates: {LIVE_TEXT[state]}
      {lastChange && <span className="last-change"> · {lastChange}</span>}
    </p>
  );
}
