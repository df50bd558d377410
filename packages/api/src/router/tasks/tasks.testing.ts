/** Helpers shared by the tasks tests (createCaller over a fresh database). */
import { expect } from "vitest";
import type { Caller } from "../../testing.ts";

type ListInput = Parameters<Caller["tasks"]["list"]>[0];
export type WireTask = Awaited<ReturnType<Caller["tasks"]["get"]>>["data"];

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

// docs/contract.md: low < medium < high.
const RANK = { low: 0, medium: 1, high: 2 } as const;

export type SortName = "created_at" | "-created_at" | "due_date" | "-due_date" | "priority" | "-priority";
export const SORTS: SortName[] = ["created_at", "-created_at", "due_date", "-due_date", "priority", "-priority"];

/** What the order oracle needs of a task, whichever surface it came through. */
interface Orderable {
  id: string;
  priority: keyof typeof RANK;
  due_date: string | null;
  created_at: string;
}

/**
 * The contract's order, computed independently: sort key, then id in the same direction;
 * for due_date the undated tasks come last (by id) in both directions.
 */
export function compareFor(sort: SortName) {
  const sign = sort.startsWith("-") ? -1 : 1;
  const key = sort.replace(/^-/, "");
  const byId = (a: Orderable, b: Orderable) => sign * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return (a: Orderable, b: Orderable): number => {
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
