/**
 * A REST path template relative to /api, e.g. `/data/{key}`: segments that are either fixed text or one `{name}`
 * parameter. The one place that reads the `{param}` syntax: a route's parameter names and the matcher's segments
 * (routes.ts) both come from here, so they cannot disagree about where the parameters are.
 */
export interface PathTemplate {
  /** One entry per segment after the leading `/`: its fixed text, or null where it is a parameter. */
  segments: (string | null)[];
  /** The parameters' names, in order. */
  parameters: string[];
}

const PARAMETER = /^\{(\w+)\}$/;

export function parsePathTemplate(template: string): PathTemplate {
  const segments: (string | null)[] = [];
  const parameters: string[] = [];
  for (const segment of template.split("/").slice(1)) {
    const name = PARAMETER.exec(segment)?.[1];
    // The matcher compares segment by segment, so a parameter must be a whole segment.
    if (name === undefined && /[{}]/.test(segment)) throw new Error(`Path template ${template}: a parameter must be a whole segment`);
    segments.push(name === undefined ? segment : null);
    if (name !== undefined) parameters.push(name);
  }
  return { segments, parameters };
}
