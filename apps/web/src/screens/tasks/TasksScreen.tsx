import type { Task } from "@tessera/sdk";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { Pager, useCursorPages } from "../../components/paging.tsx";
import { LiveIndicator } from "../../components/live.tsx";
import { QueryError } from "../../components/QueryError.tsx";
import { useDebouncedValue } from "../../components/useDebouncedValue.ts";
import { type Filters, TaskFilters } from "./TaskFilters.tsx";
import { TaskForm } from "./TaskForm.tsx";
import { TaskTable } from "./TaskTable.tsx";
import { type TaskListInput, useLiveTasks, useTaskList, useTaskMutations } from "./useTasks.ts";

const PAGE_SIZE = 10;
const NEW_TASK_FORM = "new-task";

/** Filters live in the address (shareable, and Back undoes them); empty ones are left out. */
function useFilters(): [Filters, (next: Partial<Filters>) => void] {
  const [params, setParams] = useSearchParams();
  const filters: Filters = {
    q: params.get("q") ?? "",
    status: params.get("status") ?? "",
    priority: params.get("priority") ?? "",
    sort: params.get("sort") ?? "-created_at",
  };
  const update = (next: Partial<Filters>) => {
    const merged = { ...filters, ...next };
    setParams(Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== "")), { replace: true });
  };
  return [filters, update];
}

export function TasksScreen() {
  const [filters, setFilters] = useFilters();
  const q = useDebouncedValue(filters.q);
  const query = { q: q || undefined, status: filters.status || undefined, priority: filters.priority || undefined, sort: filters.sort } as TaskListInput;
  const pages = useCursorPages(JSON.stringify(query));
  const list = useTaskList({ ...query, limit: PAGE_SIZE, cursor: pages.cursor });
  const live = useLiveTasks();
  const { create, update, remove } = useTaskMutations();
  const [editing, setEditing] = useState<Task | undefined>();

  const onDelete = (task: Task) => {
    if (!window.confirm(`Delete the task “${task.title}”?`)) return;
    remove.mutate({ id: task.id }, { onSuccess: () => editing?.id === task.id && setEditing(undefined) });
  };
  // "No tasks yet" (a new user) rather than "No tasks match" (filters that hide them): the first page, unfiltered.
  const filtered = Boolean(query.q || query.status || query.priority) || pages.page > 1;
  const addFirst = () => {
    document.querySelector<HTMLInputElement>(`#${NEW_TASK_FORM} input[name="title"]`)?.focus();
  };
  const startEditing = (task: Task) => {
    update.reset();
    setEditing(task);
  };

  return (
    <section aria-labelledby="tasks-title">
      <div className="screen-head">
        <h1 id="tasks-title">Tasks</h1>
        <LiveIndicator {...live} />
      </div>
      <div className="columns">
        <div className="main-column">
          <TaskFilters filters={filters} onChange={setFilters} />
          <QueryError error={list.error ?? remove.error} />
          {list.data && (
            <TaskTable
              tasks={list.data.items} filtered={filtered} editingId={editing?.id} onEdit={startEditing} onDelete={onDelete}
              onAddFirst={addFirst}
            />
          )}
          {list.isPending && <p role="status">Loading tasks…</p>}
          <Pager what="tasks" pages={pages} nextCursor={list.data?.next_cursor} />
        </div>
        <aside className="side-column">
          {editing ? (
            <TaskForm
              key={editing.id}
              task={editing}
              error={update.error}
              pending={update.isPending}
              onSave={(values) => update.mutateAsync({ ...values, id: editing.id }).then(() => setEditing(undefined))}
              onCancel={() => setEditing(undefined)}
            />
          ) : (
            <TaskForm id={NEW_TASK_FORM} error={create.error} pending={create.isPending} onSave={(values) => create.mutateAsync(values)} />
          )}
        </aside>
      </div>
    </section>
  );
}
