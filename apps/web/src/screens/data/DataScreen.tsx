import { useState } from "react";
import { useSearchParams } from "react-router";
import { Pager, useCursorPages } from "../../components/paging.tsx";
import { ACTIONS, ListTable } from "../../components/ListTable.tsx";
import { useDebouncedValue } from "../../components/useDebouncedValue.ts";
import { TextField } from "../../forms/fields.tsx";
import { formatDate } from "../../lib/dates.ts";
import { EntryForm } from "./EntryForm.tsx";
import { type Entry, useEntries, useEntryMutations } from "./useData.ts";

const PAGE_SIZE = 20;

export function DataScreen() {
  const [params, setParams] = useSearchParams();
  const prefixInput = params.get("prefix") ?? "";
  const prefix = useDebouncedValue(prefixInput);
  const pages = useCursorPages(prefix);
  const list = useEntries({ prefix: prefix || undefined, limit: PAGE_SIZE, cursor: pages.cursor });
  const { create, update, remove } = useEntryMutations();
  const [editing, setEditing] = useState<Entry | undefined>();

  const onDelete = (key: string) => {
    if (!window.confirm(`Delete the key “${key}”?`)) return;
    remove.mutate({ key }, { onSuccess: () => editing?.key === key && setEditing(undefined) });
  };
  const startEditing = (entry: Entry) => {
    update.reset();
    setEditing(entry);
  };

  return (
    <section aria-labelledby="data-title">
      <h1 id="data-title">Key-value data</h1>
      <div className="columns">
        <div className="main-column">
          <form className="filters" role="search" aria-label="Filter keys" onSubmit={(event) => event.preventDefault()}>
            <TextField
              label="Key prefix" name="prefix" type="search" value={prefixInput} hint="Case-sensitive; shows keys that start with it"
              onChange={(event) => setParams(event.target.value ? { prefix: event.target.value } : {}, { replace: true })}
            />
          </form>
          <ListTable
            label="Your keys" list={list} error={remove.error} loading="Loading keys…"
            empty={<p className="empty">No keys {prefix ? "with this prefix" : "yet"}.</p>}
            columns={["Key", "Value", "Updated", ACTIONS]}
          >
            {(items) =>
              items.map((item) => (
                <tr key={item.key} aria-current={item.key === editing?.key ? "true" : undefined}>
                  <th scope="row"><code>{item.key}</code></th>
                  <td className="value">{item.value}</td>
                  <td>{formatDate(item.updated_at)}</td>
                  <td className="row-actions">
                    <button type="button" className="secondary" aria-label={`Edit ${item.key}`} onClick={() => startEditing(item)}>Edit</button>
                    <button type="button" className="danger" aria-label={`Delete ${item.key}`} onClick={() => onDelete(item.key)}>Delete</button>
                  </td>
                </tr>
              ))
            }
          </ListTable>
          <Pager what="keys" pages={pages} nextCursor={list.data?.next_cursor} />
        </div>
        <aside className="side-column">
          {editing ? (
            <EntryForm
              key={editing.key}
              entry={editing}
              error={update.error}
              pending={update.isPending}
              onSave={(entry) => update.mutateAsync(entry).then(() => setEditing(undefined))}
              onCancel={() => setEditing(undefined)}
            />
          ) : (
            <EntryForm error={create.error} pending={create.isPending} onSave={(entry) => create.mutateAsync(entry)} />
          )}
        </aside>
      </div>
    </section>
  );
}
