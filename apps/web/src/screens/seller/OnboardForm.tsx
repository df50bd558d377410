import { type FormEvent, useRef } from "react";
import { FormAlert, TextField } from "../../forms/fields.tsx";
import { NO_PROBLEMS, toProblems } from "../../forms/problems.ts";
import { useFocusFirstInvalid } from "../../forms/useFocusFirstInvalid.ts";
import { useOnboard } from "./useSeller.ts";

/** The API's field names, and their labels on this form. */
const FIELDS = { store_name: "Store name" };

/** Becoming a seller: a store name, and the role changes at once (POST /api/seller/onboard). */
export function OnboardForm() {
  const form = useRef<HTMLFormElement>(null);
  const onboard = useOnboard();
  const problems = onboard.error ? toProblems(onboard.error, FIELDS) : NO_PROBLEMS;
  useFocusFirstInvalid(form, onboard.error);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onboard.mutate({ store_name: String(new FormData(event.currentTarget).get("store_name") ?? "") });
  };

  return (
    <form ref={form} className="panel narrow-panel" onSubmit={onSubmit} noValidate aria-label="Become a seller">
      <h2>Become a seller</h2>
      <p>Open a store to sell your own products. Anyone can still buy from other stores.</p>
      <FormAlert message={problems.message} />
      <fieldset disabled={onboard.isPending}>
        <TextField label="Store name" name="store_name" required hint="1–100 characters, shown with your products" error={problems.fields.store_name} />
        <div className="actions">
          <button type="submit">Open my store</button>
        </div>
      </fieldset>
    </form>
  );
}
