/**
 * Shared helpers for the HTTP contract tests (docs/contract.md).
 * Everything here talks to a real server over HTTP; nothing reaches into the implementation.
 */
import { createHmac, randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import type { TokenPair } from "@tessera/api";
import { expect } from "vitest";
import { expectDocumented, parseJson } from "./openapi-check.ts";

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  body: any;
}

export interface CallOptions {
  /** Serialized with JSON.stringify and sent as application/json. */
  json?: unknown;
  /** Sent as is (as application/json unless `headers` says otherwise). */
  raw?: string | Buffer;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  headers?: Record<string, string>;
}

/**
 * One request with global fetch; never throws on an HTTP error status. Answers under /api are checked against the
 * server's OpenAPI document (./openapi-check.ts): one it does not describe fails the test.
 */
export async function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  // A Buffer is sent as a plain Uint8Array view: BodyInit under the DOM's types too (the web e2e uses this kit).
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["content-type"] = "application/json";
  } else if (options.raw !== undefined) {
    body = typeof options.raw === "string" ? options.raw : new Uint8Array(options.raw);
    headers["content-type"] = "application/json";
  }
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  Object.assign(headers, options.headers);
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  const reply = { status: res.status, headers: res.headers, text, body: parseJson(text) };
  await expectDocumented(baseUrl, method, path, reply);
  return reply;
}

export interface RawOptions {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Each element is written separately; without a content-length header node sends them chunked. */
  chunks?: (string | Buffer)[];
}

/**
 * A request through node:http, for what fetch will not send (chunked bodies without
 * Content-Length, bodies on any method). Resolves with the response even when the server
 * answers before the body is fully sent. Checked against the OpenAPI document as `call` is.
 */
export function rawRequest(baseUrl: string, options: RawOptions): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(new URL(options.path, baseUrl), { method: options.method, headers: options.headers }, (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on("data", (part: Buffer) => parts.push(part));
      res.on("end", () => {
        const text = Buffer.concat(parts).toString("utf8");
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
        }
        const reply = { status: res.statusCode ?? 0, headers, text, body: parseJson(text) };
        expectDocumented(baseUrl, options.method, options.path, reply).then(() => resolve(reply), reject);
      });
      res.on("error", reject);
    });
    req.on("error", (error) => {
      // The server may close the connection after refusing a body it did not read in full.
      if (!answered) reject(error);
    });
    for (const chunk of options.chunks ?? []) req.write(chunk);
    req.end();
  });
}

/** docs/contract.md (and docs/contract.md: INSUFFICIENT_STOCK, PAYMENT_DECLINED): the codes whose errors carry `details`; absent on every other code. */
export const VALIDATION_CODES = new Set([
  "INVALID_REQUEST", "MISSING_FIELDS", "INVALID_PASSWORD", "INVALID_AGE", "GENDER_REQUIRED", "INVALID_KEY", "INVALID_VALUE",
  "INSUFFICIENT_STOCK", "PAYMENT_DECLINED", "QUOTA_EXCEEDED",
]);

/** docs/contract.md: nothing ever answers with a stack trace or an HTML error page. */
export function expectNoLeak(reply: Reply): void {
  expect(reply.text).not.toMatch(/<!doctype|<html|<body|<pre/i);
  expect(reply.text).not.toMatch(/\bat \S+ \(?[^\s)]*:\d+:\d+\)?/);
  expect(reply.text).not.toMatch(/node_modules|\.ts:\d+|\.js:\d+/);
  expect(reply.text).not.toMatch(/\b(Syntax|Type|Reference|Range|Prisma\w*)Error\b/);
}

export function expectJsonEnvelope(reply: Reply): void {
  expect(reply.headers.get("content-type")).toMatch(/^application\/json\b/);
  expect(reply.body, `body is not JSON: ${reply.text.slice(0, 200)}`).toBeTypeOf("object");
  expect(reply.body).not.toBeNull();
  expect(["success", "error"]).toContain(reply.body.status);
  expectNoLeak(reply);
}

/** The contract's error envelope, with `details` exactly where docs/contract.md puts it. */
export function expectError(reply: Reply, status: number, code: string): void {
  expect({ status: reply.status, code: reply.body?.code }, reply.text.slice(0, 500)).toEqual({ status, code });
  expectJsonEnvelope(reply);
  expect(reply.body.status).toBe("error");
  expect(reply.body.message).toBeTypeOf("string");
  expect(reply.body.message.length).toBeGreaterThan(0);
  if (VALIDATION_CODES.has(code)) {
    expect(Object.keys(reply.body).sort()).toEqual(["code", "details", "message", "status"]);
    expect(Array.isArray(reply.body.details)).toBe(true);
    for (const problem of reply.body.details) {
      // A declined payment also says why (docs/contract.md).
      expect(Object.keys(problem).sort()).toEqual(code === "PAYMENT_DECLINED" ? ["decline_code", "message", "path"] : ["message", "path"]);
      expect(problem.path).toBeTypeOf("string");
      expect(problem.message).toBeTypeOf("string");
      expect(problem.message.length).toBeGreaterThan(0);
    }
  } else {
    expect(Object.keys(reply.body).sort()).toEqual(["code", "message", "status"]);
  }
}

/** 409 QUOTA_EXCEEDED (issue 16: per-user limits), whose one `details` entry names the resource that is full. */
export function expectQuotaExceeded(reply: Reply, resource: string): void {
  expectError(reply, 409, "QUOTA_EXCEEDED");
  expect(reply.body.message).toMatch(/\S/);
  expect(reply.body.details).toEqual([{ path: resource, message: expect.stringMatching(/\S/) }]);
}

/** The `path`s listed in an error's details. */
export const detailPaths = (reply: Reply): string[] => (reply.body?.details ?? []).map((d: { path: string }) => d.path);

export function expectSuccess(reply: Reply, status = 200): void {
  expect(reply.status, reply.text.slice(0, 500)).toBe(status);
  expectJsonEnvelope(reply);
  expect(reply.body.status).toBe("success");
}

// ---------------------------------------------------------------------------------------------
// Accounts and sessions

export const PASSWORD = "Str0ng!Passw0rd";

let counter = 0;
/** A fresh, valid, unique username (3–32 chars of letters, digits, _ . -). */
export const uniqueName = (prefix = "u") => `${prefix}_${randomUUID().slice(0, 8)}${(counter++).toString(36)}`;

export interface RegisterInput {
  username: string;
  email: string;
  password: string;
  full_name: string;
  age?: unknown;
  gender?: unknown;
  [extra: string]: unknown;
}

export function newUser(overrides: Partial<RegisterInput> = {}): RegisterInput {
  const username = overrides.username ?? uniqueName();
  return {
    username,
    email: `${typeof username === "string" && /^[\w.-]+$/.test(username) ? username.toLowerCase() : uniqueName("mail")}@example.com`,
    password: PASSWORD,
    full_name: "Ada Lovelace",
    age: 36,
    gender: "female",
    ...overrides,
  };
}

export interface RegisteredUser {
  input: RegisterInput;
  data: { user_id: string; username: string; email: string; full_name: string; age: number | null; gender: string };
}

export async function registerUser(baseUrl: string, overrides: Partial<RegisterInput> = {}): Promise<RegisteredUser> {
  const input = newUser(overrides);
  const reply = await call(baseUrl, "POST", "/api/register", { json: input });
  expectSuccess(reply, 201);
  return { input, data: reply.body.data };
}


export async function login(baseUrl: string, username: string, password = PASSWORD): Promise<TokenPair> {
  const reply = await call(baseUrl, "POST", "/api/token", { json: { username, password } });
  expectSuccess(reply, 200);
  return reply.body.data;
}

export const me = (baseUrl: string, token: string) => call(baseUrl, "GET", "/api/me", { token });

// ---------------------------------------------------------------------------------------------
// JWTs built by hand (node:crypto), for tokens the server must refuse

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = token.split(".");
  return {
    header: JSON.parse(Buffer.from(header!, "base64url").toString("utf8")),
    payload: JSON.parse(Buffer.from(payload!, "base64url").toString("utf8")),
  };
}

/** An HS256 JWT over `payload`, signed with `secret`. */
export function signHs256(payload: Record<string, unknown>, secret: string): string {
  const unsigned = `${b64url({ alg: "HS256", typ: "JWT" })}.${b64url(payload)}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}

/** An unsigned JWT (`alg: none`) over `payload`. */
export const unsignedJwt = (payload: Record<string, unknown>) => `${b64url({ alg: "none", typ: "JWT" })}.${b64url(payload)}.`;

export type { TokenPair } from "@tessera/api";
export { within } from "@tessera/api/testing";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

