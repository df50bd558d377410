import { SelectField, TextField } from "../../forms/fields.tsx";
import { PRIORITY_OPTIONS, SORT_OPTIONS, STATUS_OPTIONS } from "./options.ts";

export interface Filters {
  q: string;
  status: string;
  priority: string;
  sort: string;
}

const ANY = { value: "", label: "Any" };

/** Search, filters and sort of the task list; every change applies at once. */
export function TaskFilters({ filters, onChange }: { filters: Filters; onChange: (next: Partial<Filters>) => void }) {
  return (
    <form className="filters" role="search" aria-label="Filter tasks" onSubmit={(event) => event.preventDefault()}>
      <TextField label="Search" name="q" type="search" value={filters.q} onChange={(event) => onChange({ q: event.target.value })} />
      <SelectField label="Status filter" name="status" options={[ANY, ...STATUS_OPTIONS]} value={filters.status} onChange={(event) => onChange({ status: event.target.value })} />
      <SelectField label="Priority filter" name="priority" options={[ANY, ...PRIORITY_OPTIONS]} value={filters.priority} onChange={(event) => onChange({ priority: event.target.value })} />
      <SelectField label="Sort" name="sort" options={SORT_OPTIONS} value={filters.sort} onChange={(event) => onChange({ sort: event.target.value })} />
    </form>
  );
}
