/** Helpers shared by the tasks tests (createCaller over a fresh database). */
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { AppError } from "../../envelope.ts";
import type { createTestServices } from "../../testing.ts";

export type TestEnv = Awaited<ReturnType<typeof createTestServices>>;
export type Caller = ReturnType<TestEnv["caller"]>;
type ListInput = Parameters<Caller["tasks"]["list"]>[0];
export type WireTask = Awaited<ReturnType<Caller["tasks"]["get"]>>["data"];

/** A new account with a logged-in caller. */
export async function newUser(env: TestEnv): Promise<Caller> {
  const username = `u_${randomUUID().slice(0, 12)}`;
  const password = "Corr3ct-horse";
  await env.caller().auth.register({ username, email: `${username}@example.com`, password, full_name: "T", gender: "other" });
  const { access_token } = (await env.caller().auth.token({ username, password })).data;
  return env.caller({ authorization: `Bearer ${access_token}` });
}

/** The contract code of a rejected call (fails the test when the call succeeds or throws something else). */
export async function appCodeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).appCode;
}

export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Follows next_cursor to the end; every page but the last must be full. */
export async function walk(caller: Caller, input: ListInput, between?: (page: number, soFar: WireTask[]) => Promise<void>): Promise<WireTask[]> {
  const items: WireTask[] = [];
  let cursor: string | undefined;
  for (let page = 0; ; page++) {
    expect(page, "the walk does not end").toBeLessThan(500);
    const { data } = await caller.tasks.list({ ...input, cursor });
    items.push(...data.items);
    if (data.next_cursor === null) break;
    expect(data.items).toHaveLength(input.limit ?? 20);
    cursor = data.next_cursor;
    await between?.(page, items);
  }
  return items;
}

// API.md: low < medium < high.
const RANK = { low: 0, medium: 1, high: 2 } as const;

export type SortName = "created_at" | "-created_at" | "due_date" | "-due_date" | "priority" | "-priority";
export const SORTS: SortName[] = ["created_at", "-created_at", "due_date", "-due_date", "priority", "-priority"];

/**
 * The contract's order, computed independently: sort key, then id in the same direction;
 * for due_date the undated tasks come last (by id) in both directions.
 */
export function compareFor(sort: SortName) {
  const sign = sort.startsWith("-") ? -1 : 1;
  const key = sort.replace(/^-/, "");
  const byId = (a: WireTask, b: WireTask) => sign * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return (a: WireTask, b: WireTask): number => {
    if (key === "due_date") {
      if ((a.due_date === null) !== (b.due_date === null)) return a.due_date === null ? 1 : -1;
      if (a.due_date === null) return byId(a, b);
      return sign * (Date.parse(a.due_date) - Date.parse(b.due_date!)) || byId(a, b);
    }
    if (key === "priority") return sign * (RANK[a.priority] - RANK[b.priority]) || byId(a, b);
    return sign * (Date.parse(a.created_at) - Date.parse(b.created_at)) || byId(a, b);
  };
}

export const ids = (tasks: { id: string }[]) => tasks.map((task) => task.id);
