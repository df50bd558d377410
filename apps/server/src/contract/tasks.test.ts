/** POST/GET/PUT/PATCH/DELETE /api/tasks[/{id}] over real HTTP — docs/contract.md "Tasks" and "Conventions". */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { call, type CallOptions, detailPaths, expectError, expectSuccess } from "../testing/http.ts";
import { account } from "../testing/accounts.ts";

let server: TestServer;
let alice: string;
let bob: string;
beforeAll(async () => {
  server = await startTestServer();
  const [a, b] = await Promise.all([account(server.url), account(server.url)]);
  [alice, bob] = [a.tokens.access_token, b.tokens.access_token];
});
afterAll(() => server.stop());

const api = (method: string, path: string, options: CallOptions = {}) => call(server.url, method, `/api${path}`, options);
const create = async (token: string, body: Record<string, unknown>) => {
  const reply = await api("POST", "/tasks", { token, json: body });
  expectSuccess(reply, 201);
  return reply.body.data;
};

const TASK_KEYS = ["created_at", "description", "due_date", "id", "priority", "status", "title", "updated_at"];
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe("POST /api/tasks", () => {
  it.each(["/tasks", "/tasks/"])("answers 201 on %s with the documented envelope and defaults", async (path) => {
    const reply = await api("POST", path, { token: alice, json: { title: "Write the report" } });
    expectSuccess(reply, 201);
    expect(reply.body).toEqual({
      status: "success",
      message: "Task created successfully.",
      data: {
        id: expect.any(String), title: "Write the report", description: "", status: "todo", priority: "medium",
        due_date: null, created_at: expect.stringMatching(ISO_UTC), updated_at: reply.body.data.created_at,
      },
    });
    expect(Object.keys(reply.body.data).sort()).toEqual(TASK_KEYS);
  });

  it("keeps every field sent, answers due_date in UTC, and ignores unknown or server-owned fields", async () => {
    const sent = { title: "Ship v2", description: "Ünïcödé ✓", status: "in_progress", priority: "high", due_date: "2031-03-04T10:30:00+02:00" };
    const foreignId = randomUUID();
    const data = await create(alice, { ...sent, id: foreignId, owner_id: "someone", created_at: "2000-01-01T00:00:00Z", color: "red" });
    expect(data).toEqual({ ...sent, id: expect.any(String), due_date: new Date(sent.due_date).toISOString(), created_at: expect.stringMatching(ISO_UTC), updated_at: expect.stringMatching(ISO_UTC) });
    expect(data.id).not.toBe(foreignId);
    expect(data.created_at).not.toBe("2000-01-01T00:00:00.000Z");
  });

  it("gives every task its own id", async () => {
    const [a, b] = await Promise.all([create(alice, { title: "a" }), create(alice, { title: "a" })]);
    expect(a.id).not.toBe(b.id);
  });

  it.each([
    ["title", {}],
    ["title", { title: "" }],
    ["title", { title: "  " }],
    ["title", { title: "x".repeat(201) }],
    ["title", { title: true }],
    ["title", { title: null }],
    ["description", { title: "t", description: "x".repeat(10_001) }],
    ["description", { title: "t", description: ["a"] }],
    ["status", { title: "t", status: "archived" }],
    ["status", { title: "t", status: null }],
    ["priority", { title: "t", priority: "HIGH" }],
    ["priority", { title: "t", priority: 1 }],
    ["due_date", { title: "t", due_date: "next friday" }],
    ["due_date", { title: "t", due_date: "2030-01-31" }],
    ["due_date", { title: "t", due_date: "2030-01-31T10:00:00" }],
    ["due_date", { title: "t", due_date: "2030-13-01T00:00:00Z" }],
    ["due_date", { title: "t", due_date: 1700000000 }],
    ["due_date", { title: "t", due_date: true }],
  ])("answers 400 INVALID_REQUEST for a bad %s (case %#)", async (field, body) => {
    const reply = await api("POST", "/tasks", { token: alice, json: body });
    expectError(reply, 400, "INVALID_REQUEST");
    expect(detailPaths(reply)).toEqual([field]);
  });

  it("accepts 200 and 10,000 code points (astral characters count once)", async () => {
    const data = await create(alice, { title: "🦄".repeat(200), description: "🦄".repeat(10_000) });
    expect([...data.title]).toHaveLength(200);
    expect([...data.description]).toHaveLength(10_000);
  });

  it.each([["not json", "{title:"], ["an array", "[]"], ["a string", '"title"']])("answers 400 INVALID_REQUEST for a body that is %s", async (_, raw) => {
    expectError(await api("POST", "/tasks", { token: alice, raw }), 400, "INVALID_REQUEST");
  });
});

describe("GET, PUT, PATCH and DELETE /api/tasks/{id}", () => {
  it.each(["", "/"])("reads a task (trailing %j)", async (slash) => {
    const task = await create(alice, { title: "Read me" });
    const reply = await api("GET", `/tasks/${task.id}${slash}`, { token: alice });
    expectSuccess(reply);
    expect(reply.body).toEqual({ status: "success", data: task });
  });

  it.each([["PUT", ""], ["PUT", "/"], ["PATCH", ""], ["PATCH", "/"]])("%s%s changes only the fields sent", async (method, slash) => {
    const task = await create(alice, { title: "Before", description: "keep me", priority: "low", due_date: "2030-01-01T00:00:00Z" });
    const reply = await api(method, `/tasks/${task.id}${slash}`, { token: alice, json: { status: "done", due_date: null } });
    expectSuccess(reply);
    expect(reply.body).toEqual({
      status: "success",
      message: "Task updated successfully.",
      data: { ...task, status: "done", due_date: null, updated_at: expect.stringMatching(ISO_UTC) },
    });
    expect(Date.parse(reply.body.data.updated_at)).toBeGreaterThanOrEqual(Date.parse(task.updated_at));
    expect((await api("GET", `/tasks/${task.id}`, { token: alice })).body.data).toEqual(reply.body.data);
  });

  it.each(["PUT", "PATCH"])("%s updates every field at once, the path id winning over a body id", async (method) => {
    const [task, other] = [await create(alice, { title: "One" }), await create(alice, { title: "Two" })];
    const changes = { title: "Renamed", description: "New", status: "in_progress", priority: "high", due_date: "2032-02-29T23:00:00-01:00" };
    const reply = await api(method, `/tasks/${task.id}`, { token: alice, json: { ...changes, id: other.id } });
    expectSuccess(reply);
    expect(reply.body.data).toMatchObject({ ...changes, id: task.id, due_date: new Date(changes.due_date).toISOString() });
    expect((await api("GET", `/tasks/${other.id}`, { token: alice })).body.data).toEqual(other);
  });

  it.each(["PUT", "PATCH"])("%s validates the body before looking the task up", async (method) => {
    const task = await create(alice, { title: "Valid" });
    for (const id of [task.id, randomUUID(), "nope"]) {
      const reply = await api(method, `/tasks/${id}`, { token: alice, json: { title: "", priority: "extreme", due_date: "soon" } });
      expectError(reply, 400, "INVALID_REQUEST");
      expect(detailPaths(reply).sort()).toEqual(["due_date", "priority", "title"]);
    }
    expectError(await api(method, `/tasks/${task.id}`, { token: alice, raw: "{oops" }), 400, "INVALID_REQUEST");
    expect((await api("GET", `/tasks/${task.id}`, { token: alice })).body.data).toEqual(task);
  });

  it.each(["", "/"])("deletes a task once (trailing %j); then it is 404 everywhere", async (slash) => {
    const task = await create(alice, { title: "Doomed" });
    const reply = await api("DELETE", `/tasks/${task.id}${slash}`, { token: alice });
    expectSuccess(reply);
    expect(reply.body).toEqual({ status: "success", message: "Task deleted successfully." });
    for (const [method, json] of [["GET"], ["PUT", { title: "x" }], ["PATCH", { title: "x" }], ["DELETE"]] as const) {
      expectError(await api(method, `/tasks/${task.id}`, { token: alice, json }), 404, "TASK_NOT_FOUND");
    }
  });
});

describe("404 TASK_NOT_FOUND and ownership", () => {
  const ROUTES: [string, object?][] = [["GET"], ["PUT", { title: "Hijacked" }], ["PATCH", { status: "done" }], ["DELETE"]];
  const MALFORMED = ["123", "not-a-uuid", "%20", "..%2F..", "a%2Fb", "%E2%9C%93", "' OR '1'='1", "00000000-0000-0000-0000-00000000000g"];

  it.each(ROUTES)("%s on another user's task is 404 and changes nothing", async (method, json) => {
    const task = await create(alice, { title: "Alice only", priority: "high" });
    expectError(await api(method, `/tasks/${task.id}`, { token: bob, json }), 404, "TASK_NOT_FOUND");
    expectError(await api(method, `/tasks/${task.id}/`, { token: bob, json }), 404, "TASK_NOT_FOUND");
    expect((await api("GET", `/tasks/${task.id}`, { token: alice })).body.data).toEqual(task);
  });

  it.each(ROUTES)("%s on an unknown or malformed id is 404", async (method, json) => {
    for (const id of [randomUUID(), randomUUID().toUpperCase(), ...MALFORMED]) {
      expectError(await api(method, `/tasks/${id}`, { token: alice, json }), 404, "TASK_NOT_FOUND");
    }
  });

  it("keeps each user's list to their own tasks", async () => {
    const mine = await create(bob, { title: "Bob's task" });
    const theirs = await create(alice, { title: "Bob's task" });
    const reply = await api("GET", "/tasks?limit=100", { token: bob });
    expectSuccess(reply);
    const listed = reply.body.data.items.map((t: { id: string }) => t.id);
    expect(listed).toContain(mine.id);
    expect(listed).not.toContain(theirs.id);
  });
});

describe("routing and authentication come first", () => {
  const ROUTES = [["GET", "/tasks"], ["POST", "/tasks"], ["GET", "/tasks/ID"], ["PUT", "/tasks/ID"], ["PATCH", "/tasks/ID"], ["DELETE", "/tasks/ID"]];

  it.each(ROUTES)("%s %s without a valid token is 401, even for an unknown task or a bad body", async (method, path) => {
    const route = `${path.replace("ID", randomUUID())}`;
    for (const headers of [{}, { authorization: "Bearer not.a.jwt" }, { authorization: "Basic abc" }] as Record<string, string>[]) {
      expectError(await api(method, route, { headers, raw: method === "GET" ? undefined : "{bad json" }), 401, "INVALID_TOKEN");
      expectError(await api(method, `${route}/`, { headers }), 401, "INVALID_TOKEN");
    }
  });

  it.each([["POST", "/tasks/ID", "GET, PUT, PATCH, DELETE"], ["DELETE", "/tasks", "GET, POST"], ["PUT", "/tasks/", "GET, POST"]])(
    "%s %s is 405 with Allow, token or not",
    async (method, path, allow) => {
      for (const token of [undefined, alice]) {
        const reply = await api(method, path.replace("ID", randomUUID()), { token, json: {} });
        expectError(reply, 405, "METHOD_NOT_ALLOWED");
        const allowed = reply.headers.get("allow")?.split(/,\s*/) ?? [];
        expect(allowed).toEqual(expect.arrayContaining(allow.split(", ")));
        expect(allowed).not.toContain(method);
      }
    },
  );

  it("answers 404 NOT_FOUND for paths below a task", async () => {
    expectError(await api("GET", `/tasks/${randomUUID()}/comments`, { token: alice }), 404, "NOT_FOUND");
  });
});
