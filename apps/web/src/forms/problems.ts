import { type FieldProblem, isTesseraError } from "@tessera/sdk";

/** What a form shows after a failed call: one message for the form, and messages beside named fields. */
export interface Problems {
  message: string | null;
  fields: Record<string, string>;
}

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

/**
 * Turns an API error into what a form shows. Each `details` entry whose `path` is one of the form's `fields`
 * goes beside that field; everything else (and the contract's summary message) goes to the form's alert,
 * without repeating a text already shown beside a field.
 */
export function toProblems(error: unknown, fields: readonly string[]): Problems {
  if (!isTesseraError(error)) return { message: error instanceof Error ? error.message : "Something went wrong.", fields: {} };
  if (error.code === "NETWORK_ERROR") return { message: "The server could not be reached. Try again.", fields: {} };

  const byField: Record<string, string> = {};
  const elsewhere: string[] = [];
  for (const problem of error.details ?? []) {
    // A problem inside a field's value (`categories.2`) is shown beside that field.
    const path = fields.includes(problem.path) ? problem.path : fields.find((field) => problem.path.startsWith(`${field}.`)) ?? problem.path;
    const message = textOf(problem);
    if (fields.includes(path)) byField[path] = byField[path] ? `${byField[path]} ${message}` : message;
    else elsewhere.push(path ? `${path}: ${message}` : message);
  }
  const codeField = FIELD_OF_CODE[error.code];
  if (codeField !== undefined && fields.includes(codeField) && byField[codeField] === undefined) {
    byField[codeField] = error.message;
  }

  const shown = new Set(Object.values(byField));
  const parts = [shown.has(error.message) ? null : error.message, ...elsewhere].filter((part): part is string => part !== null);
  return { message: parts.length > 0 ? parts.join(" ") : null, fields: byField };
}
