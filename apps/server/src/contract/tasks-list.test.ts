/** GET /api/tasks over real HTTP: filters, q, the six sorts, cursor walks, and list errors — docs/contract.md "Tasks". */
import { compareFor, ids, pages, SORTS, type SortName } from "@tessera/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { call, detailPaths, expectError, expectSuccess } from "../testing/http.ts";
import { account } from "../testing/accounts.ts";

interface Task {
  id: string;
  title: string;
  description: string;
  status: "todo" | "in_progress" | "done";
  priority: "low" | "medium" | "high";
  due_date: string | null;
  created_at: string;
  updated_at: string;
}

const STATUSES = ["todo", "in_progress", "done"] as const;
const PRIORITIES = ["low", "medium", "high"] as const;
// Repeated instants (one written two ways) make ties that only the id can break.
const DUES = ["2030-05-01T12:00:00Z", "2030-05-01T14:00:00+02:00", "2029-12-31T23:59:59.999Z", "2031-01-01T00:00:00-05:00"];

let server: TestServer;
let alice: string;
let bob: string;
const aliceTasks: Task[] = [];
beforeAll(async () => {
  server = await startTestServer();
  const [a, b] = await Promise.all([account(server.url), account(server.url)]);
  [alice, bob] = [a.tokens.access_token, b.tokens.access_token];
  // 45 tasks in concurrent batches (created_at ties are likely), with repeated due dates and priorities.
  for (let batch = 0; batch < 5; batch++) {
    const bodies = Array.from({ length: 9 }, (_, j) => {
      const i = batch * 9 + j;
      return { title: `Task ${i}`, status: STATUSES[i % 3], priority: PRIORITIES[Math.floor(i / 4) % 3], due_date: i % 5 === 0 ? null : DUES[i % 4] };
    });
    aliceTasks.push(...(await Promise.all(bodies.map((body) => create(alice, body)))));
  }
  await create(bob, { title: "Bob's task" });
});
afterAll(() => server.stop());

async function create(token: string, body: Record<string, unknown>): Promise<Task> {
  const reply = await call(server.url, "POST", "/api/tasks", { token, json: body });
  expectSuccess(reply, 201);
  return reply.body.data;
}

const list = (token: string, query: Record<string, string | number> = {}, path = "/api/tasks") =>
  call(server.url, "GET", `${path}?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`, { token });

/** Follows next_cursor to the end (pages()): every page a success whose data is items and next_cursor, every one but the last full. */
const walk = (token: string, query: Record<string, string | number>, between?: (page: number, soFar: Task[]) => Promise<void>) =>
  pages<Task>(
    async (cursor) => {
      const reply = await list(token, { ...query, ...(cursor !== undefined && { cursor }) });
      expectSuccess(reply);
      expect(Object.keys(reply.body.data).sort()).toEqual(["items", "next_cursor"]);
      return reply.body.data;
    },
    { pageSize: Number(query.limit ?? 20), between },
  );

const sorted = (tasks: Task[], sort: SortName) => ids([...tasks].sort(compareFor(sort)));

describe("GET /api/tasks: orders and walks", () => {
  it.each(["/api/tasks", "/api/tasks/"])("answers %s with the first page, newest first by default", async (path) => {
    const reply = await list(alice, {}, path);
    expectSuccess(reply);
    expect(reply.body.status).toBe("success");
    expect(ids(reply.body.data.items)).toEqual(sorted(aliceTasks, "-created_at").slice(0, 20));
    expect(reply.body.data.next_cursor).toEqual(expect.any(String));
  });

  it.each(SORTS)("walks sort=%s with limit=7: every task exactly once, in order", async (sort) => {
    const items = await walk(alice, { sort, limit: 7 });
    expect(ids(items)).toEqual(sorted(aliceTasks, sort));
    for (const item of items) expect(item).toEqual(aliceTasks.find((t) => t.id === item.id));
  });

  it.each(["due_date", "-due_date"])("puts tasks without a due_date last for sort=%s", async (sort) => {
    const items = await walk(alice, { sort, limit: 7 });
    const dated = aliceTasks.filter((t) => t.due_date !== null).length;
    expect(items.slice(0, dated).every((t) => t.due_date !== null)).toBe(true);
    expect(items.slice(dated).every((t) => t.due_date === null)).toBe(true);
    expect(items.length).toBeGreaterThan(dated);
  });

  it("sorts priority by rank: low < medium < high", async () => {
    const order = async (sort: string) => [...new Set((await walk(alice, { sort, limit: 100 })).map((t) => t.priority))];
    expect(await order("priority")).toEqual(["low", "medium", "high"]);
    expect(await order("-priority")).toEqual(["high", "medium", "low"]);
  });

  it.each(SORTS)("sort=%s: items present throughout appear once while tasks are added and deleted between pages", async (sort) => {
    const { tokens } = await account(server.url);
    const token = tokens.access_token;
    const original: Task[] = [];
    for (let i = 0; i < 18; i++) original.push(await create(token, { title: `o${i}`, priority: PRIORITIES[i % 3], due_date: i % 3 ? DUES[i % 4] : null }));
    const deleted = new Set<string>();
    const deletedUnseen = new Set<string>();
    let n = 0;
    const items = await walk(token, { sort, limit: 4 }, async (page, soFar) => {
      if (page >= 3) return; // inserts ahead of the cursor must not outrun the walk
      const seen = new Set(ids(soFar));
      const listed = original.find((t) => seen.has(t.id) && !deleted.has(t.id));
      const unlisted = original.findLast((t) => !seen.has(t.id) && !deleted.has(t.id));
      for (const victim of [listed, unlisted]) {
        if (!victim) continue;
        expectSuccess(await call(server.url, "DELETE", `/api/tasks/${victim.id}`, { token }));
        deleted.add(victim.id);
        if (victim === unlisted) deletedUnseen.add(victim.id);
      }
      for (const due of [DUES[n % 4], null, "2000-01-01T00:00:00Z", "2099-12-31T00:00:00Z"]) {
        await create(token, { title: `new ${n++}`, priority: PRIORITIES[n % 3], due_date: due });
      }
    });
    expect(deletedUnseen.size).toBe(3);
    expect(new Set(ids(items)).size).toBe(items.length);
    for (const task of original.filter((t) => !deleted.has(t.id))) expect(ids(items).filter((id) => id === task.id)).toHaveLength(1);
    expect(ids(items).filter((id) => deletedUnseen.has(id))).toEqual([]);
    expect(ids(items)).toEqual(sorted(items, sort));
  });
});

describe("GET /api/tasks: filters and q", () => {
  it.each(STATUSES)("filters status=%s across pages", async (status) => {
    const items = await walk(alice, { status, sort: "-due_date", limit: 4 });
    expect(ids(items)).toEqual(sorted(aliceTasks.filter((t) => t.status === status), "-due_date"));
  });

  it.each(PRIORITIES)("filters priority=%s together with status=done", async (priority) => {
    const items = await walk(alice, { priority, status: "done", sort: "created_at", limit: 2 });
    const expected = aliceTasks.filter((t) => t.priority === priority && t.status === "done");
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(items)).toEqual(sorted(expected, "created_at"));
  });

  it("lists only the caller's own tasks", async () => {
    const items = await walk(bob, { limit: 100 });
    expect(items.map((t) => t.title)).toEqual(["Bob's task"]);
    const nothing = await walk(bob, { q: "Task 1", limit: 100 });
    expect(nothing).toEqual([]);
  });

  it("matches q case-insensitively in the title or the description, literally for % and _", async () => {
    const { tokens } = await account(server.url);
    const t = tokens.access_token;
    const made = {
      milk: await create(t, { title: "Buy MILK" }),
      desc: await create(t, { title: "Groceries", description: "almond mIlK" }),
      silk: await create(t, { title: "Silk" }),
      pct: await create(t, { title: "100% done" }),
      nopct: await create(t, { title: "1000 done" }),
      under: await create(t, { title: "snake_case" }),
      nounder: await create(t, { title: "snakeXcase" }),
      accent: await create(t, { title: "ÉCOLE" }),
    };
    const search = async (q: string) => ids(await walk(t, { q, limit: 1 })).sort();
    const expected = (...keys: (keyof typeof made)[]) => keys.map((k) => made[k].id).sort();
    expect(await search("MilK")).toEqual(expected("milk", "desc"));
    expect(await search("école")).toEqual(expected("accent"));
    expect(await search("0%")).toEqual(expected("pct"));
    expect(await search("%")).toEqual(expected("pct"));
    expect(await search("E_C")).toEqual(expected("under"));
    expect(await search("_")).toEqual(expected("under"));
    expect(await search("no such text")).toEqual([]);
  });
});

describe("GET /api/tasks: 400 INVALID_REQUEST, never clamped or ignored", () => {
  it.each([
    ["limit", "0"], ["limit", "101"], ["limit", "-5"], ["limit", "2.5"], ["limit", "ten"], ["limit", "1e3"],
    ["status", "open"], ["status", "TODO"], ["priority", "urgent"], ["sort", "title"], ["sort", "-"], ["sort", "due-date"],
    ["sort", "+created_at"], ["status", ""], ["priority", ""], ["sort", ""], ["limit", ""], ["limit", "0x10"],
    ["q", "x".repeat(10_001)], ["cursor", "not a cursor"], ["cursor", "eyJmb28iOjF9"],
  ])("refuses %s=%s", async (field, value) => {
    const reply = await list(alice, { [field]: value });
    expectError(reply, 400, "INVALID_REQUEST");
    expect(detailPaths(reply)).toEqual([field]);
  });

  it("refuses a repeated parameter", async () => {
    const reply = await call(server.url, "GET", "/api/tasks?limit=5&limit=6", { token: alice });
    expectError(reply, 400, "INVALID_REQUEST");
  });

  it("refuses a cursor used with another sort, and accepts it with its own", async () => {
    for (const sort of SORTS) {
      const next = (await list(alice, { sort, limit: 3 })).body.data.next_cursor;
      for (const other of SORTS.filter((s) => s !== sort)) {
        expectError(await list(alice, { sort: other, limit: 3, cursor: next }), 400, "INVALID_REQUEST");
      }
      expectSuccess(await list(alice, { sort, limit: 3, cursor: next }));
    }
  });

  it("accepts the limits 1 and 100", async () => {
    expect((await list(alice, { limit: 1 })).body.data.items).toHaveLength(1);
    expect((await list(alice, { limit: 100 })).body.data.items).toHaveLength(aliceTasks.length);
  });

  it("is 401 without a token, before looking at the query", async () => {
    expectError(await list("", { limit: 0 }), 401, "INVALID_TOKEN");
    expectError(await call(server.url, "GET", "/api/tasks/?sort=bogus"), 401, "INVALID_TOKEN");
  });
});
