/** The tasks procedures through @trpc/client at /trpc: same inputs, outputs and codes as REST (docs/contract.md "Operations"). */
import { randomUUID } from "node:crypto";
import type { AppRouter } from "@tessera/api";
import { TRPCClientError } from "@trpc/client";
import { compareFor, pages, SORTS } from "@tessera/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpcClient } from "../testing/clients.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { call, expectSuccess } from "../testing/http.ts";
import { account } from "../testing/accounts.ts";

let server: TestServer;
let aliceToken: string;
let alice: ReturnType<typeof client>;
let bob: ReturnType<typeof client>;
let anonymous: ReturnType<typeof client>;
beforeAll(async () => {
  server = await startTestServer();
  const [a, b] = await Promise.all([account(server.url), account(server.url)]);
  aliceToken = a.tokens.access_token;
  [alice, bob, anonymous] = [client(aliceToken), client(b.tokens.access_token), client()];
});
afterAll(() => server.stop());

const client = (token?: string) => trpcClient(server.url, token);

type Task = Awaited<ReturnType<typeof alice.tasks.get.query>>["data"];

/** The REST status and code of a failed call, as the tRPC error carries them. */
async function failure(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCClientError);
  const data = (error as TRPCClientError<AppRouter>).data;
  return { appCode: data?.appCode, httpStatus: data?.httpStatus, paths: data?.details?.map((d) => d.path) };
}


describe("tasks through tRPC", () => {
  it("creates, reads, updates (PUT and PATCH twins) and deletes, matching the REST representation", async () => {
    const input = { title: "Via tRPC", description: "typed", priority: "high", due_date: "2030-06-01T09:00:00+02:00" } as const;
    const created = await alice.tasks.create.mutate(input);
    expect(created).toEqual({
      status: "success",
      message: "Task created successfully.",
      data: { ...input, id: expect.any(String), status: "todo", due_date: new Date(input.due_date).toISOString(), created_at: expect.any(String), updated_at: expect.any(String) },
    });
    const rest = await call(server.url, "GET", `/api/tasks/${created.data.id}`, { token: aliceToken });
    expectSuccess(rest);
    expect(await alice.tasks.get.query({ id: created.data.id })).toEqual(rest.body);

    const updated = await alice.tasks.update.mutate({ id: created.data.id, status: "in_progress" });
    expect(updated).toMatchObject({ message: "Task updated successfully.", data: { ...created.data, status: "in_progress", updated_at: expect.any(String) } });
    const patched = await alice.tasks.patch.mutate({ id: created.data.id, due_date: null, title: "Renamed" });
    expect(patched.data).toMatchObject({ title: "Renamed", due_date: null, status: "in_progress", description: "typed" });

    expect(await alice.tasks.delete.mutate({ id: created.data.id })).toEqual({ status: "success", message: "Task deleted successfully." });
    expect(await failure(alice.tasks.get.query({ id: created.data.id }))).toMatchObject({ appCode: "TASK_NOT_FOUND", httpStatus: 404 });
  });

  it("answers INVALID_REQUEST for invalid fields, listing each", async () => {
    expect(await failure(alice.tasks.create.mutate({ title: " ", status: "later", due_date: "2030-01-01" } as never))).toEqual({
      appCode: "INVALID_REQUEST", httpStatus: 400, paths: ["title", "status", "due_date"],
    });
    const { data } = await alice.tasks.create.mutate({ title: "ok" });
    expect(await failure(alice.tasks.patch.mutate({ id: data.id, priority: "urgent" } as never))).toMatchObject({ appCode: "INVALID_REQUEST", paths: ["priority"] });
  });

  it("answers TASK_NOT_FOUND for another user's, an unknown and a malformed id, on every procedure", async () => {
    const { data: task } = await alice.tasks.create.mutate({ title: "Alice's" });
    for (const id of [task.id, randomUUID(), "not-a-uuid", ""]) {
      // Each failure is awaited through failure() at once: a rejection waiting its turn would count as unhandled.
      const attempts = [
        bob.tasks.get.query({ id }), bob.tasks.update.mutate({ id, title: "x" }), bob.tasks.patch.mutate({ id, status: "done" }), bob.tasks.delete.mutate({ id }),
      ].map(failure);
      for (const attempt of attempts) expect(await attempt).toMatchObject({ appCode: "TASK_NOT_FOUND", httpStatus: 404 });
    }
    expect((await alice.tasks.get.query({ id: task.id })).data).toEqual(task);
    expect((await bob.tasks.list.query({ limit: 100 })).data.items.map((t) => t.id)).not.toContain(task.id);
  });

  it("answers INVALID_TOKEN without a token", async () => {
    const attempts = [anonymous.tasks.list.query({}), anonymous.tasks.create.mutate({ title: "x" }), anonymous.tasks.delete.mutate({ id: randomUUID() })].map(failure);
    for (const attempt of attempts) expect(await attempt).toMatchObject({ appCode: "INVALID_TOKEN", httpStatus: 401 });
  });

  it("answers INVALID_REQUEST for out-of-range limits, unknown filters and sorts, and foreign cursors", async () => {
    const next = (await alice.tasks.list.query({ sort: "priority", limit: 1 })).data.next_cursor!;
    const attempts = [
      alice.tasks.list.query({ limit: 0 }), alice.tasks.list.query({ limit: 101 }), alice.tasks.list.query({ status: "open" } as never),
      alice.tasks.list.query({ priority: "urgent" } as never), alice.tasks.list.query({ sort: "title" } as never),
      alice.tasks.list.query({ cursor: "nonsense" }), alice.tasks.list.query({ sort: "-priority", cursor: next }),
    ];
    for (const attempt of attempts.map(failure)) expect(await attempt).toMatchObject({ appCode: "INVALID_REQUEST", httpStatus: 400 });
  });
});

describe("tasks.list through tRPC", () => {
  let owner: ReturnType<typeof client>;
  let ownerToken: string;
  const tasks: Task[] = [];
  beforeAll(async () => {
    ownerToken = (await account(server.url)).tokens.access_token;
    owner = client(ownerToken);
    const dues = ["2030-01-01T00:00:00Z", "2030-01-01T01:00:00+01:00", "2029-07-04T12:00:00Z", null];
    // Concurrent calls share one batched request; tasks get repeated due dates and priorities.
    for (let batch = 0; batch < 5; batch++) {
      const made = await Promise.all(
        Array.from({ length: 9 }, (_, j) => {
          const i = batch * 9 + j;
          return owner.tasks.create.mutate({ title: `T${i} ${i % 2 ? "Alpha" : "beta"}`, priority: (["low", "medium", "high"] as const)[i % 3], due_date: dues[i % 4]! });
        }),
      );
      tasks.push(...made.map((m) => m.data));
    }
  });

  const walk = (sort: (typeof SORTS)[number], q?: string) =>
    pages<Task>(async (cursor) => (await owner.tasks.list.query({ sort, limit: 7, cursor, q })).data, { pageSize: 7 });

  it.each(SORTS)("walks sort=%s with limit 7: every task once, in order", async (sort) => {
    const items = await walk(sort);
    expect(items.map((t) => t.id)).toEqual([...tasks].sort(compareFor(sort)).map((t) => t.id));
  });

  it("filters with q case-insensitively", async () => {
    const items = await walk("due_date", "ALPHA");
    expect(items.map((t) => t.id)).toEqual(tasks.filter((t) => t.title.includes("Alpha")).sort(compareFor("due_date")).map((t) => t.id));
  });

  it("continues a REST page with its cursor, the same procedure on both surfaces", async () => {
    const rest = await call(server.url, "GET", "/api/tasks?sort=-due_date&limit=5", { token: ownerToken });
    expectSuccess(rest);
    const rest2 = await call(server.url, "GET", `/api/tasks?sort=-due_date&limit=5&cursor=${rest.body.data.next_cursor}`, { token: ownerToken });
    const viaTrpc = await owner.tasks.list.query({ sort: "-due_date", limit: 5, cursor: rest.body.data.next_cursor });
    expect(viaTrpc).toEqual(rest2.body);
  });
});
