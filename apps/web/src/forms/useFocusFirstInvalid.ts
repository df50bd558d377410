import { type RefObject, useEffect } from "react";

/** After a failed submit, moves focus to the first field the API named, so it is read out with its message. */
export function useFocusFirstInvalid(form: RefObject<HTMLFormElement | null>, error: unknown) {
  useEffect(() => {
    if (error) form.current?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
  }, [form, error]);
}
