import { type FormEvent, useRef } from "react";
import { FormAlert, TextAreaField, TextField } from "../../forms/fields.tsx";
import { NO_PROBLEMS, toProblems } from "../../forms/problems.ts";
import { useFocusFirstInvalid } from "../../forms/useFocusFirstInvalid.ts";
import { useStartOver } from "../../forms/useStartOver.ts";
import { useSubmitting } from "../../forms/useSubmitting.ts";
import type { Entry } from "./useData.ts";

/** The API's field names, and their labels on this form. */
const FIELDS = { key: "Key", value: "Value" };

interface EntryFormProps {
  /** The entry being edited (its key cannot change), or undefined for a new one. */
  entry?: Entry | undefined;
  onSave: (entry: Entry) => Promise<unknown>;
  error: unknown;
  pending: boolean;
  onCancel?: (() => void) | undefined;
}

export function EntryForm({ entry, onSave, error, pending: saving, onCancel }: EntryFormProps) {
  const [submitting, submit] = useSubmitting();
  const pending = saving || submitting;
  const form = useRef<HTMLFormElement>(null);
  const problems = error ? toProblems(error, FIELDS) : NO_PROBLEMS;
  useFocusFirstInvalid(form, error);
  const startOver = useStartOver(form, pending);
  const title = entry ? "Edit value" : "New key";

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget;
    const values = new FormData(element);
    const saved = { key: entry?.key ?? String(values.get("key") ?? ""), value: String(values.get("value") ?? "") };
    void submit(() => onSave(saved).then(() => !entry && startOver(), () => undefined));
  };

  return (
    <form ref={form} className="panel" onSubmit={onSubmit} noValidate aria-label={title}>
      <h2>{title}</h2>
      <FormAlert message={problems.message} />
      {/* Nothing can be typed while a save is on its way, so the emptied form never swallows new input. */}
      <fieldset disabled={pending}>
        {entry ? (
          <TextField label="Key" name="key" value={entry.key} readOnly />
        ) : (
          <TextField label="Key" name="key" required hint="1–255 characters" error={problems.fields.key} />
        )}
        <TextAreaField label="Value" name="value" rows={5} defaultValue={entry?.value} hint="Any text up to 64 KiB" error={problems.fields.value} />
        <div className="actions">
          <button type="submit" disabled={pending}>{entry ? "Save value" : "Add key"}</button>
          {onCancel && <button type="button" className="secondary" onClick={onCancel}>Cancel</button>}
        </div>
      </fieldset>
    </form>
  );
}
