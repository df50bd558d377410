import { type FieldProblem, isTesseraError } from "@tessera/sdk";

/** What a form shows after a failed call: one message for the form, and messages beside named fields. */
export interface Problems {
  message: string | null;
  fields: Record<string, string>;
}

/** A form's fields: the API's name of each (`full_name`) and its label on screen ("Full name"). */
export type FieldLabels = Readonly<Record<string, string>>;

export const NO_PROBLEMS: Problems = { message: null, fields: {} };

/** Codes without `details` that are still about one field: their message goes beside that field. */
const FIELD_OF_CODE: Record<string, string> = {
  USERNAME_EXISTS: "username",
  EMAIL_EXISTS: "email",
  KEY_EXISTS: "key",
  // The image upload's refusals are all about its one file field.
  IMAGE_TOO_LARGE: "image",
  UNSUPPORTED_MEDIA_TYPE: "image",
  TOO_MANY_IMAGES: "image",
};

/** A detail's text as shown: a declined payment also names the processor's decline code. */
const textOf = (problem: FieldProblem) =>
  problem.decline_code ? `${problem.message} (decline code: ${problem.decline_code})` : problem.message;

/** The form field a detail's path is about: itself, or the field it is inside (`categories.2` → `categories`). */
const fieldOf = (path: string, fields: FieldLabels) =>
  Object.hasOwn(fields, path) ? path : Object.keys(fields).find((field) => path.startsWith(`${field}.`));

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The API's summaries list fields by their API names ("Invalid fields: username, full_name.", "The field gender is
 * required."): each name of a field of this form becomes its label there. Only names in such a list are replaced.
 */
function withLabels(message: string, paths: string[], fields: FieldLabels): string {
  let text = message;
  for (const path of [...new Set(paths)].sort((a, b) => b.length - a.length)) {
    const field = fieldOf(path, fields);
    if (field === undefined) continue;
    const listed = new RegExp(`(?<=(?:: |, |The field ))${escape(path)}(?=, |\\.(?:\\s|$)| is )`, "g");
    text = text.replace(listed, fields[field]!);
  }
  return text;
}

/**
 * Turns an API error into what a form shows. Each `details` entry whose `path` is one of the form's `fields`
 * goes beside that field; everything else (and the contract's summary message) goes to the form's alert,
 * without repeating a text already shown beside a field, and naming the form's fields by their labels.
 */
export function toProblems(error: unknown, fields: FieldLabels): Problems {
  if (!isTesseraError(error)) return { message: error instanceof Error ? error.message : "Something went wrong.", fields: {} };
  if (error.code === "NETWORK_ERROR") return { message: "The server could not be reached. Try again.", fields: {} };

  const byField: Record<string, string> = {};
  const elsewhere: string[] = [];
  for (const problem of error.details ?? []) {
    const field = fieldOf(problem.path, fields);
    const message = textOf(problem);
    if (field !== undefined) byField[field] = byField[field] ? `${byField[field]} ${message}` : message;
    else elsewhere.push(problem.path ? `${problem.path}: ${message}` : message);
  }
  const codeField = FIELD_OF_CODE[error.code];
  if (codeField !== undefined && Object.hasOwn(fields, codeField) && byField[codeField] === undefined) {
    byField[codeField] = error.message;
  }

  const shown = new Set(Object.values(byField));
  const summary = shown.has(error.message) ? null : withLabels(error.message, (error.details ?? []).map((p) => p.path), fields);
  const parts = [summary, ...elsewhere].filter((part): part is string => part !== null);
  return { message: parts.length > 0 ? parts.join(" ") : null, fields: byField };
}
