import { type RefObject, useCallback, useEffect, useRef } from "react";

/**
 * After a "new item" form was saved: empties it and puts the cursor in its first field, ready for the next
 * item. The form's fieldset is disabled while saving, so focusing waits until it is enabled again.
 */
export function useStartOver(form: RefObject<HTMLFormElement | null>, pending: boolean): () => void {
  const focusWhenEnabled = useRef(false);
  const focusFirst = useCallback(() => {
    const first = form.current?.querySelector<HTMLInputElement | HTMLTextAreaElement>("input, textarea");
    if (first && !first.matches(":disabled")) {
      first.focus();
      focusWhenEnabled.current = false;
    } else {
      focusWhenEnabled.current = true;
    }
  }, [form]);
  useEffect(() => {
    if (!pending && focusWhenEnabled.current) focusFirst();
  }, [pending, focusFirst]);
  return useCallback(() => {
    form.current?.reset();
    focusFirst();
  }, [form, focusFirst]);
}
