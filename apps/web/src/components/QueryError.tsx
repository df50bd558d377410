import { toProblems } from "../forms/problems.ts";

/** A list that could not be loaded says why (the API's message), where the list would be. */
export function QueryError({ error }: { error: unknown }) {
  return error ? <p role="alert" className="form-alert">{toProblems(error, {}).message}</p> : null;
}
