/**
 * Every answer a contract test receives from the REST surface, checked against the OpenAPI document the server serves
 * (GET /api/openapi.json): the path and method must be documented (or be the document's routing answers: 404 for an
 * unknown path, 405 with Allow for a known path's other methods), the status must be one of the operation's responses,
 * its required headers present, its media type listed, and a JSON body valid against the response's schema (ajv, JSON
 * Schema 2020-12, the dialect of OpenAPI 3.1). An answer the document does not describe fails the test that got it.
 *
 * OPENAPI_CHECK_LOG=<file> appends one JSON line per checked answer (for counting); OPENAPI_CHECK=report records
 * mismatches there without failing (to measure a baseline).
 */
import { appendFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/** What the check needs of an answer (the contract helpers' Reply, or a fetch Response read once). */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

type Json = Record<string, any>;

/** The JSON a body holds, or undefined when it holds none. */
export const parseJson = (text: string): any => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** The REST surface's base path: answers elsewhere (tRPC, /docs, the web app, probes) are not the document's. */
const BASE = "/api";
/** The document itself (a documentation route in docs/contract.md, like /docs): not one of the routes it describes. */
const DOCUMENT = /^\/api\/openapi\.json\/?$/;
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

interface Template {
  pattern: RegExp;
  literals: number;
  item: Json;
  pointer: string;
}

interface DocumentCheck {
  document: Json;
  templates: Template[];
  ajv: Ajv2020;
  validators: Map<string, ValidateFunction>;
}

const escapePointer = (segment: string) => segment.replaceAll("~", "~0").replaceAll("/", "~1");

function compileDocument(document: Json): DocumentCheck {
  // strict: an unknown keyword in a schema is an error (OpenAPI's own schema keywords are declared below).
  const ajv = new Ajv2020({ strict: true, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addVocabulary(["example", "discriminator", "xml", "externalDocs"]);
  // The document itself is added as one schema, so that the `#/components/...` references inside it resolve: its
  // top-level fields are declared as keywords that validate nothing (only the schemas they hold are compiled).
  ajv.addVocabulary(Object.keys(document).filter((key) => !ajv.getKeyword(key)));
  ajv.addSchema(document, "openapi.json");
  const templates = Object.entries(document.paths as Json).map(([path, item]) => {
    const segments = path.split("/").slice(1);
    const source = segments.map((segment) => (/^\{\w+\}$/.test(segment) ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    return {
      pattern: new RegExp(`^/${source.join("/")}$`),
      literals: segments.filter((segment) => !segment.startsWith("{")).length,
      item: item as Json,
      pointer: `#/paths/${escapePointer(path)}`,
    };
  });
  // As the server routes: a fixed segment wins over a parameter at the same place.
  templates.sort((a, b) => b.literals - a.literals);
  return { document, templates, ajv, validators: new Map() };
}

const documents = new Map<string, Promise<DocumentCheck | null>>();
const MAX_DOCUMENTS = 32;

/**
 * The served document of the server at `baseUrl`, fetched once (outside the checked helpers) and compiled; null for a
 * server that serves none (404: not a Tessera server, e.g. the benchmark's bare floor server).
 */
function documentOf(baseUrl: string): Promise<DocumentCheck | null> {
  let check = documents.get(baseUrl);
  if (!check) {
    check = fetch(`${baseUrl}${BASE}/openapi.json`).then(async (res) => {
      if (res.status === 404) return null;
      if (res.status !== 200) throw new Error(`GET ${BASE}/openapi.json answered ${res.status}`);
      return compileDocument((await res.json()) as Json);
    });
    if (documents.size >= MAX_DOCUMENTS) documents.delete(documents.keys().next().value!);
    documents.set(baseUrl, check);
  }
  return check;
}

/** Follows a local `$ref` (response and header objects may be references to components). */
function resolve(document: Json, value: Json): Json {
  let current = value;
  while (typeof current?.$ref === "string") {
    current = (current.$ref as string)
      .slice(2)
      .split("/")
      .reduce((node: Json, segment) => node?.[segment.replaceAll("~1", "/").replaceAll("~0", "~")], document);
  }
  return current;
}

function validatorAt(check: DocumentCheck, pointer: string): ValidateFunction {
  let validate = check.validators.get(pointer);
  if (!validate) {
    validate = check.ajv.compile({ $ref: `openapi.json${pointer}` });
    check.validators.set(pointer, validate);
  }
  return validate;
}

/** A response object's problems with an answer: headers, media type, body. */
function responseProblems(check: DocumentCheck, response: Json, pointer: string, method: string, answer: Answer): string[] {
  const problems: string[] = [];
  const resolved = resolve(check.document, response);
  for (const [name, reference] of Object.entries((resolved.headers ?? {}) as Json)) {
    const header = resolve(check.document, reference);
    const value = answer.headers.get(name);
    if (value === null) {
      if (header.required) problems.push(`the required header ${name} is missing`);
    } else if (header.schema?.pattern && !new RegExp(header.schema.pattern, "u").test(value)) {
      problems.push(`the header ${name} (${value}) does not match ${header.schema.pattern}`);
    } else if (header.schema?.type === "integer" && !/^\d+$/.test(value)) {
      problems.push(`the header ${name} (${value}) is not an integer`);
    }
  }
  const content = resolved.content as Json | undefined;
  const mediaType = (answer.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (method === "HEAD" || answer.status === 304) {
    if (answer.text !== "") problems.push("a body where none is sent");
    return problems;
  }
  if (!content) {
    if (answer.text !== "") problems.push(`a body (${mediaType}) where the document describes none`);
    return problems;
  }
  if (!(mediaType in content)) {
    problems.push(`media type ${mediaType || "(none)"} is not one of ${Object.keys(content).join(", ")}`);
    return problems;
  }
  if (mediaType === "application/json") {
    if (answer.body === undefined) return [...problems, "the body is not JSON"];
    const schemaPointer = response.$ref
      ? `${(response.$ref as string).slice(1)}/content/${escapePointer(mediaType)}/schema`
      : `${pointer}/content/${escapePointer(mediaType)}/schema`;
    const validate = validatorAt(check, schemaPointer);
    if (!validate(answer.body)) {
      problems.push(`the body does not match the schema: ${check.ajv.errorsText(validate.errors, { separator: "; " })}`);
    }
  }
  return problems;
}

/** docs/contract.md: an INVALID_REQUEST message names the field(s) it is about (every non-empty path of its details). */
function unnamedFields(answer: Answer): string[] {
  const body = answer.body as Json | undefined;
  if (body?.code !== "INVALID_REQUEST" || !Array.isArray(body.details)) return [];
  return body.details
    .map((problem: Json) => problem.path)
    .filter((path: unknown) => typeof path === "string" && path !== "" && !(body.message as string).includes(path))
    .map((path: string) => `the INVALID_REQUEST message does not name the field ${path}`);
}

/** Where the answer to `method path` is described, and what is wrong with the answer according to it. */
function problemsOf(check: DocumentCheck, method: string, path: string, answer: Answer): string[] {
  // Every path also answers with one trailing slash (docs/contract.md).
  const relative = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  const template = check.templates.find((candidate) => candidate.pattern.test(relative));
  const routing = (check.document["x-routing"] ?? {}) as Json;
  if (!template) {
    if (!routing.notFound) return ["the document does not describe the answer to an unknown path"];
    if (answer.status !== 404) return [`no documented path matches, and the answer is ${answer.status}, not the document's 404`];
    return responseProblems(check, routing.notFound, "#/x-routing/notFound", method, answer);
  }
  const operationName = method.toLowerCase();
  if (!METHODS.includes(operationName) || !template.item[operationName]) {
    if (answer.status !== 405) return [`${method} is not documented at this path, and the answer is ${answer.status}, not the document's 405`];
    if (!routing.methodNotAllowed) return ["the document does not describe the answer to a method a path does not take"];
    const documented = METHODS.filter((name) => template.item[name]).map((name) => name.toUpperCase());
    const allow = (answer.headers.get("allow") ?? "").split(",").map((name) => name.trim()).filter(Boolean);
    const problems = responseProblems(check, routing.methodNotAllowed, "#/x-routing/methodNotAllowed", method, answer);
    if ([...allow].sort().join() !== [...documented].sort().join()) problems.push(`Allow is "${allow.join(", ")}", the document has ${documented.join(", ")}`);
    return problems;
  }
  const pointer = `${template.pointer}/${operationName}/responses`;
  const responses = template.item[operationName].responses as Json;
  const key = [String(answer.status), `${String(answer.status)[0]}XX`, "default"].find((candidate) => candidate in responses);
  if (!key) return [`status ${answer.status} is not among the documented ${Object.keys(responses).join(", ")}`];
  return [...responseProblems(check, responses[key], `${pointer}/${key}`, method, answer), ...unnamedFields(answer)];
}

/**
 * Checks one answer against the document of the server at `baseUrl`; throws (failing the test) when the document
 * does not describe it. `target` is the request's path (and query), as sent.
 */
export async function expectDocumented(baseUrl: string, method: string, target: string, answer: Answer): Promise<void> {
  const { pathname } = new URL(target, baseUrl);
  if ((pathname !== BASE && !pathname.startsWith(`${BASE}/`)) || DOCUMENT.test(pathname)) return;
  const check = await documentOf(baseUrl);
  if (!check) return;
  const problems = problemsOf(check, method.toUpperCase(), pathname.slice(BASE.length) || "/", answer);
  const log = process.env.OPENAPI_CHECK_LOG;
  if (log) appendFileSync(log, `${JSON.stringify({ method, path: pathname, status: answer.status, problems })}\n`);
  if (problems.length > 0 && process.env.OPENAPI_CHECK !== "report") {
    throw new Error(`The OpenAPI document does not describe the answer to ${method} ${pathname} (${answer.status}): ${problems.join("; ")}.\n${answer.text.slice(0, 300)}`);
  }
}

/** fetch, with the answer checked against the document (for the tests that need a Response: bytes, FormData). */
export async function documentedFetch(baseUrl: string, path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(`${baseUrl}${path}`, init);
  const text = await res.clone().text();
  await expectDocumented(baseUrl, init.method ?? "GET", path, { status: res.status, headers: res.headers, text, body: parseJson(text) });
  return res;
}
