/** The catalog's sorts (docs/contract.md), with labels for people. */
export const SORT_OPTIONS = [
  { value: "-created_at", label: "Newest first" },
  { value: "created_at", label: "Oldest first" },
  { value: "price", label: "Price, lowest first" },
  { value: "-price", label: "Price, highest first" },
  { value: "name", label: "Name" },
] as const;

export type ProductSort = (typeof SORT_OPTIONS)[number]["value"];
