import { useCallback, useState } from "react";
import { flushSync } from "react-dom";

/**
 * Whether a form's save is under way, set the moment it is submitted. The mutation's own pending state reaches the
 * screen a moment later (TanStack Query notifies on a timer); in between, the form would still take input, which
 * the reset after a successful save then wiped. `flushSync` disables it within the submit event itself.
 */
export function useSubmitting(): [boolean, (save: () => Promise<unknown>) => Promise<unknown>] {
  const [submitting, setSubmitting] = useState(false);
  const run = useCallback((save: () => Promise<unknown>) => {
    flushSync(() => setSubmitting(true));
    return save().finally(() => setSubmitting(false));
  }, []);
  return [submitting, run];
}
