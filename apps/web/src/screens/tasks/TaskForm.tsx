import type { Task } from "@tessera/sdk";
import { type FormEvent, useRef } from "react";
import { FormAlert, SelectField, TextAreaField, TextField } from "../../forms/fields.tsx";
import { NO_PROBLEMS, toProblems } from "../../forms/problems.ts";
import { useFocusFirstInvalid } from "../../forms/useFocusFirstInvalid.ts";
import { useStartOver } from "../../forms/useStartOver.ts";
import { useSubmitting } from "../../forms/useSubmitting.ts";
import { fromLocalInput, toLocalInput } from "../../lib/dates.ts";
import { PRIORITY_OPTIONS, type Priority, type Status, STATUS_OPTIONS } from "./options.ts";
import type { TaskCreateInput } from "./useTasks.ts";

/** The API's field names, and their labels on this form. */
const FIELDS = { title: "Title", description: "Description", status: "Status", priority: "Priority", due_date: "Due date" };

export interface TaskFormProps {
  /** The form element's id (the new-task form's, for "Add your first task"). */
  id?: string | undefined;
  /** The task being edited, or undefined for a new one. */
  task?: Task | undefined;
  /** Runs the create or update call; resolves when it succeeded. */
  onSave: (values: TaskCreateInput) => Promise<unknown>;
  /** The last call's error, shown on the form. */
  error: unknown;
  pending: boolean;
  onCancel?: (() => void) | undefined;
}

function readForm(form: HTMLFormElement): TaskCreateInput {
  const values = new FormData(form);
  const text = (name: string) => String(values.get(name) ?? "");
  return {
    title: text("title"),
    description: text("description"),
    status: text("status") as Status,
    priority: text("priority") as Priority,
    due_date: fromLocalInput(text("due_date")),
  };
}

/** New task and edit task alike; key it by the task's id so that switching tasks starts from fresh values. */
export function TaskForm({ id, task, onSave, error, pending: saving, onCancel }: TaskFormProps) {
  const [submitting, submit] = useSubmitting();
  const pending = saving || submitting;
  const form = useRef<HTMLFormElement>(null);
  const problems = error ? toProblems(error, FIELDS) : NO_PROBLEMS;
  useFocusFirstInvalid(form, error);
  const startOver = useStartOver(form, pending);
  const title = task ? "Edit task" : "New task";

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // A new task's form empties once the task is saved, ready for the next; a failure keeps what was typed.
    const values = readForm(event.currentTarget);
    void submit(() => onSave(values).then(() => !task && startOver(), () => undefined));
  };

  return (
    <form ref={form} id={id} className="panel" onSubmit={onSubmit} noValidate aria-label={title}>
      <h2>{title}</h2>
      <FormAlert message={problems.message} />
      {/* Nothing can be typed while a save is on its way, so the emptied form never swallows new input. */}
      <fieldset disabled={pending}>
        <TextField label="Title" name="title" required defaultValue={task?.title} error={problems.fields.title} />
        <TextAreaField label="Description" name="description" rows={3} defaultValue={task?.description} error={problems.fields.description} />
        <div className="row">
          <SelectField label="Status" name="status" options={STATUS_OPTIONS} defaultValue={task?.status ?? "todo"} error={problems.fields.status} />
          <SelectField label="Priority" name="priority" options={PRIORITY_OPTIONS} defaultValue={task?.priority ?? "medium"} error={problems.fields.priority} />
        </div>
        <TextField label="Due date" name="due_date" type="datetime-local" defaultValue={toLocalInput(task?.due_date ?? null)} error={problems.fields.due_date} />
        <div className="actions">
          <button type="submit" disabled={pending}>{task ? "Save changes" : "Add task"}</button>
          {onCancel && <button type="button" className="secondary" onClick={onCancel}>Cancel</button>}
        </div>
      </fieldset>
    </form>
  );
}
