import type { TRPCSubscriptionResult } from "@tessera/sdk/react";
import { useState } from "react";

export type LiveState = "connecting" | "live" | "offline";

/**
 * A live subscription's state for people, from `useSubscription`'s status: `pending` means connected and waiting
 * for events; `connecting` with an error means the stream dropped and tRPC is reconnecting.
 */
export function liveStateOf(subscription: Pick<TRPCSubscriptionResult<unknown, unknown>, "status" | "error">): LiveState {
  if (subscription.status === "pending") return "live";
  if (subscription.status === "error" || subscription.error) return "offline";
  return "connecting";
}

/** The last change a subscription reported, as a sentence for the indicator. */
export function useLastChange(): [string | null, (change: string) => void] {
  return useState<string | null>(null);
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
