/** The contract's task enums, with labels for people. */
export const STATUS_OPTIONS = [
  { value: "todo", label: "To do" },
  { value: "in_progress", label: "In progress" },
  { value: "done", label: "Done" },
] as const;

export const PRIORITY_OPTIONS = [
  { value: "low", label: "Low" },
  { value: "medium", label: "Medium" },
  { value: "high", label: "High" },
] as const;

export const SORT_OPTIONS = [
  { value: "-created_at", label: "Newest first" },
  { value: "created_at", label: "Oldest first" },
  { value: "due_date", label: "Due soonest" },
  { value: "-due_date", label: "Due latest" },
  { value: "-priority", label: "Highest priority" },
  { value: "priority", label: "Lowest priority" },
] as const;

export type Status = (typeof STATUS_OPTIONS)[number]["value"];
export type Priority = (typeof PRIORITY_OPTIONS)[number]["value"];
export type Sort = (typeof SORT_OPTIONS)[number]["value"];
