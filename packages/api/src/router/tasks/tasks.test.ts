/** tasks.create/get/update/patch/delete through createCaller: shapes, validation, ownership. */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { appCodeOf, type Caller, createTestServices, rejection, signedInCaller, type TestEnv } from "../../testing/index.ts";

let env: TestEnv;
let alice: Caller;
let bob: Caller;
beforeAll(async () => {
  env = await createTestServices();
  [alice, bob] = [await signedInCaller(env), await signedInCaller(env)];
});
afterAll(() => env.cleanup());
afterEach(() => void vi.useRealTimers());

/** Runs `fn` with the clock at `at` (only Date is faked), so timestamps can be compared exactly. */
async function at<T>(when: Date, fn: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ["Date"], now: when });
  try {
    return await fn();
  } finally {
    vi.useRealTimers();
  }
}

const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);

describe("tasks.create and tasks.get", () => {
  it("creates with the contract's defaults and reads the same task back", async () => {
    const when = later(1);
    const created = await at(when, () => alice.tasks.create({ title: "Write report" }));
    expect(created).toEqual({
      status: "success",
      message: "Task created successfully.",
      data: {
        id: expect.any(String), title: "Write report", description: "", status: "todo", priority: "medium",
        due_date: null, created_at: when.toISOString(), updated_at: when.toISOString(),
      },
    });
    expect(await alice.tasks.get({ id: created.data.id })).toEqual({ status: "success", data: created.data });
  });

  it("stores every field sent and answers due_date in UTC", async () => {
    const input = { title: "Ship", description: "Ünïcödé 🚀", status: "in_progress", priority: "high", due_date: "2031-03-04T10:30:00+02:00" } as const;
    const { data } = await alice.tasks.create(input);
    expect(data).toMatchObject({ ...input, due_date: new Date(input.due_date).toISOString() });
    expect(data.due_date).toMatch(/Z$/);
  });

  it("counts title and description lengths in code points", async () => {
    const title = "😀".repeat(200);
    const description = "😀".repeat(10_000);
    expect((await alice.tasks.create({ title, description })).data).toMatchObject({ title, description });
    expect(await appCodeOf(alice.tasks.create({ title: `${title}a` }))).toBe("INVALID_REQUEST");
    expect(await appCodeOf(alice.tasks.create({ title: "t", description: `${description}a` }))).toBe("INVALID_REQUEST");
  });

  it.each([
    ["title", {}],
    ["title", { title: "" }],
    ["title", { title: "   \t" }],
    ["title", { title: 42 }],
    ["title", { title: null }],
    ["description", { title: "t", description: 7 }],
    ["description", { title: "t", description: null }],
    ["status", { title: "t", status: "later" }],
    ["status", { title: "t", status: "TODO" }],
    ["priority", { title: "t", priority: "urgent" }],
    ["priority", { title: "t", priority: 2 }],
    ["due_date", { title: "t", due_date: "tomorrow" }],
    ["due_date", { title: "t", due_date: "2030-01-01" }],
    ["due_date", { title: "t", due_date: "2030-01-01T10:00:00" }],
    ["due_date", { title: "t", due_date: "2030-02-30T10:00:00Z" }],
    ["due_date", { title: "t", due_date: "0000-01-01T00:00:00+01:00" }],
    ["due_date", { title: "t", due_date: 1893456000000 }],
  ])("refuses an invalid %s with INVALID_REQUEST naming it: %j", async (field, input) => {
    const error = await rejection(alice.tasks.create(input as never));
    expect(error.appCode).toBe("INVALID_REQUEST");
    expect(error.details?.map((d) => d.path)).toEqual([field]);
  });

  it("lists every invalid field at once", async () => {
    const error = await rejection(alice.tasks.create({ title: "", status: "x", priority: "y", due_date: "z" } as never));
    expect(error.details?.map((d) => d.path).sort()).toEqual(["due_date", "priority", "status", "title"]);
  });

  it("refuses NUL characters in stored or searched text", async () => {
    expect(await appCodeOf(alice.tasks.create({ title: "a\u0000b" }))).toBe("INVALID_REQUEST");
    expect(await appCodeOf(alice.tasks.create({ title: "ok", description: "\u0000" }))).toBe("INVALID_REQUEST");
    expect(await appCodeOf(alice.tasks.list({ q: "\u0000" }))).toBe("INVALID_REQUEST");
  });

  it("requires a token", async () => {
    expect(await appCodeOf(env.caller().tasks.create({ title: "t" }))).toBe("INVALID_TOKEN");
    expect(await appCodeOf(env.caller({ authorization: "Bearer nope" }).tasks.get({ id: randomUUID() }))).toBe("INVALID_TOKEN");
  });
});

describe.each(["update", "patch"] as const)("tasks.%s", (procedure) => {
  it("changes only the fields sent and sets updated_at", async () => {
    const created = (await alice.tasks.create({ title: "Old", description: "keep", priority: "low", due_date: "2030-01-01T00:00:00Z" })).data;
    const when = later(2);
    const reply = await at(when, () => alice.tasks[procedure]({ id: created.id, status: "done" }));
    expect(reply).toEqual({
      status: "success",
      message: "Task updated successfully.",
      data: { ...created, status: "done", updated_at: when.toISOString() },
    });
    expect((await alice.tasks.get({ id: created.id })).data).toEqual(reply.data);
  });

  it("updates every field, clears due_date with null, and keeps search and rank in step", async () => {
    const created = (await alice.tasks.create({ title: "Before", priority: "low", due_date: "2030-01-01T00:00:00Z" })).data;
    const changes = { title: `After UNIQUE-${procedure}`, description: "New Text", status: "in_progress", priority: "high", due_date: null } as const;
    const { data } = await alice.tasks[procedure]({ id: created.id, ...changes });
    expect(data).toMatchObject(changes);
    const found = await alice.tasks.list({ q: `unique-${procedure}`.toUpperCase(), priority: "high" });
    expect(found.data.items.map((t) => t.id)).toEqual([created.id]);
  });

  it("answers an empty change with the task as it is", async () => {
    const created = (await alice.tasks.create({ title: "Same" })).data;
    const reply = await alice.tasks[procedure]({ id: created.id });
    expect(reply).toEqual({ status: "success", message: "Task updated successfully.", data: created });
  });

  it("validates before looking the task up", async () => {
    const created = (await alice.tasks.create({ title: "Valid" })).data;
    for (const id of [created.id, randomUUID()]) {
      const error = await rejection(alice.tasks[procedure]({ id, title: " ", status: "nope" } as never));
      expect(error.appCode).toBe("INVALID_REQUEST");
      expect(error.details?.map((d) => d.path).sort()).toEqual(["status", "title"]);
    }
    expect((await alice.tasks.get({ id: created.id })).data).toEqual(created);
  });
});

describe("tasks.delete", () => {
  it("deletes once; afterwards the task is not found anywhere", async () => {
    const { id } = (await alice.tasks.create({ title: "Doomed" })).data;
    expect(await alice.tasks.delete({ id })).toEqual({ status: "success", message: "Task deleted successfully." });
    expect(await appCodeOf(alice.tasks.get({ id }))).toBe("TASK_NOT_FOUND");
    expect(await appCodeOf(alice.tasks.update({ id, title: "x" }))).toBe("TASK_NOT_FOUND");
    expect(await appCodeOf(alice.tasks.delete({ id }))).toBe("TASK_NOT_FOUND");
    expect((await alice.tasks.list({ limit: 100 })).data.items.map((t) => t.id)).not.toContain(id);
  });
});

describe("ownership and unknown ids", () => {
  const MALFORMED = ["", "123", "not-a-uuid", "' OR 1=1 --", `${randomUUID()}x`, randomUUID().toUpperCase(), "%"];

  it("answers TASK_NOT_FOUND for another user's task on every route, and leaves it untouched", async () => {
    const task = (await alice.tasks.create({ title: "Alice's secret", priority: "high" })).data;
    expect(await appCodeOf(bob.tasks.get({ id: task.id }))).toBe("TASK_NOT_FOUND");
    expect(await appCodeOf(bob.tasks.update({ id: task.id, title: "pwned" }))).toBe("TASK_NOT_FOUND");
    expect(await appCodeOf(bob.tasks.patch({ id: task.id, status: "done" }))).toBe("TASK_NOT_FOUND");
    expect(await appCodeOf(bob.tasks.update({ id: task.id }))).toBe("TASK_NOT_FOUND");
    expect(await appCodeOf(bob.tasks.delete({ id: task.id }))).toBe("TASK_NOT_FOUND");
    expect((await alice.tasks.get({ id: task.id })).data).toEqual(task);
    const bobs = await bob.tasks.list({ limit: 100, q: "secret" });
    expect(bobs.data.items).toEqual([]);
  });

  it.each(MALFORMED)("answers TASK_NOT_FOUND for the id %j", async (id) => {
    expect(await appCodeOf(alice.tasks.get({ id }))).toBe("TASK_NOT_FOUND");
    expect(await appCodeOf(alice.tasks.update({ id, title: "x" }))).toBe("TASK_NOT_FOUND");
    expect(await appCodeOf(alice.tasks.patch({ id }))).toBe("TASK_NOT_FOUND");
    expect(await appCodeOf(alice.tasks.delete({ id }))).toBe("TASK_NOT_FOUND");
  });

  it("answers TASK_NOT_FOUND for a well-formed unknown id", async () => {
    const id = randomUUID();
    expect(await appCodeOf(alice.tasks.get({ id }))).toBe("TASK_NOT_FOUND");
    expect(await appCodeOf(alice.tasks.patch({ id, title: "x" }))).toBe("TASK_NOT_FOUND");
    expect(await appCodeOf(alice.tasks.delete({ id }))).toBe("TASK_NOT_FOUND");
  });
});
