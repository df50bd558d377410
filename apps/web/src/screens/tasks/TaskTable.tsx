import type { Task } from "@tessera/sdk";
import { formatDate } from "../../lib/dates.ts";
import { labelOf } from "../../forms/fields.tsx";
import { PRIORITY_OPTIONS, STATUS_OPTIONS } from "./options.ts";
import { TableBox } from "../../components/TableBox.tsx";

interface TaskTableProps {
  tasks: Task[];
  /** Whether filters (or paging) may hide tasks: an empty list then says "No tasks match". */
  filtered: boolean;
  /** Takes a new user to the New task form. */
  onAddFirst: () => void;
  editingId: string | undefined;
  onEdit: (task: Task) => void;
  onDelete: (task: Task) => void;
}

export function TaskTable({ tasks, filtered, onAddFirst, editingId, onEdit, onDelete }: TaskTableProps) {
  if (tasks.length === 0 && filtered) return <p className="empty">No tasks match.</p>;
  if (tasks.length === 0) {
    return (
      <div className="empty">
        <p>No tasks yet.</p>
        <button type="button" onClick={onAddFirst}>Add your first task</button>
      </div>
    );
  }
  return (
    <TableBox label="Your tasks">
      <table className="list">
        <caption className="visually-hidden">Your tasks</caption>
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Status</th>
            <th scope="col">Priority</th>
            <th scope="col">Due</th>
            <th scope="col"><span className="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => (
            <tr key={task.id} aria-current={task.id === editingId ? "true" : undefined}>
              <th scope="row">
                {task.title}
                {task.description && <small className="description">{task.description}</small>}
              </th>
              <td><span className={`badge status-${task.status}`}>{labelOf(STATUS_OPTIONS, task.status)}</span></td>
              <td><span className={`badge priority-${task.priority}`}>{labelOf(PRIORITY_OPTIONS, task.priority)}</span></td>
              <td>{formatDate(task.due_date)}</td>
              <td className="row-actions">
                <button type="button" className="secondary" aria-label={`Edit ${task.title}`} onClick={() => onEdit(task)}>Edit</button>
                <button type="button" className="danger" aria-label={`Delete ${task.title}`} onClick={() => onDelete(task)}>Delete</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableBox>
  );
}
