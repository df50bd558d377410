import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes, useId } from "react";

interface FieldProps {
  label: string;
  /** The API's message for this field, shown beside it and announced with it. */
  error?: string | undefined;
  hint?: string | undefined;
}

/** Label, control and message, wired together for assistive technology (aria-describedby, aria-invalid). */
function Field({ label, error, hint, children }: FieldProps & { children: (ids: ControlIds) => ReactNode }) {
  const id = useId();
  const ids: ControlIds = {
    id,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(ids)}
      {hint && <small id={`${id}-hint`} className="hint">{hint}</small>}
      {error && <small id={`${id}-error`} className="field-error">{error}</small>}
    </div>
  );
}

interface ControlIds {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
}

export function TextField({ label, error, hint, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return <Field label={label} error={error} hint={hint}>{(ids) => <input {...input} {...ids} />}</Field>;
}

export function TextAreaField({ label, error, hint, ...textarea }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <Field label={label} error={error} hint={hint}>{(ids) => <textarea {...textarea} {...ids} />}</Field>;
}

export interface Option {
  value: string;
  label: string;
}

/** The label of `value` among `options`, or the value itself when it is none of them. */
export const labelOf = (options: readonly Option[], value: string) => options.find((option) => option.value === value)?.label ?? value;

export function SelectField({ label, error, hint, options, ...select }: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { options: readonly Option[] }) {
  return (
    <Field label={label} error={error} hint={hint}>
      {(ids) => (
        <select {...select} {...ids}>
          {options.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
        </select>
      )}
    </Field>
  );
}

/** The form-level message: announced when it appears. */
export function FormAlert({ message }: { message: string | null }) {
  return message ? <p role="alert" className="form-alert">{message}</p> : null;
}
