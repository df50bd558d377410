/** The contract's task order, computed independently, for the task list tests of every surface. */
import type { Caller } from "./services.ts";

export type WireTask = Awaited<ReturnType<Caller["tasks"]["get"]>>["data"];

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
