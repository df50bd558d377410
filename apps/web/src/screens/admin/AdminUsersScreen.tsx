import { ACTIONS, ListTable } from "../../components/ListTable.tsx";
import { useState } from "react";
import { useSession } from "../../app/session.tsx";
import { Pager, useCursorPages } from "../../components/paging.tsx";
import { useDebouncedValue } from "../../components/useDebouncedValue.ts";
import { SelectField, TextField } from "../../forms/fields.tsx";
import { type AdminUser, useUserMutations, useUsers } from "./useUsers.ts";

const PAGE_SIZE = 20;
const ROLES = [
  { value: "user", label: "User" },
  { value: "seller", label: "Seller" },
  { value: "admin", label: "Admin" },
] as const;
type Role = (typeof ROLES)[number]["value"];
const ANY = { value: "", label: "Any" };
const ACTIVE = [ANY, { value: "true", label: "Active" }, { value: "false", label: "Deactivated" }] as const;

export function AdminUsersScreen() {
  const { user: me } = useSession();
  const [filters, setFilters] = useState({ q: "", role: "", is_active: "" });
  const q = useDebouncedValue(filters.q);
  const query = { q: q || undefined, role: (filters.role || undefined) as Role | undefined, is_active: filters.is_active === "" ? undefined : filters.is_active === "true" };
  const pages = useCursorPages(JSON.stringify(query));
  const list = useUsers({ ...query, limit: PAGE_SIZE, cursor: pages.cursor });
  const { update, remove } = useUserMutations();
  const [notice, setNotice] = useState<string | null>(null);

  const change = (user: AdminUser, patch: { role?: Role; is_active?: boolean }) => {
    setNotice(null);
    remove.reset();
    update.mutate({ user_id: user.user_id, ...patch }, { onSuccess: (changed) => setNotice(`${changed.data.username} updated.`) });
  };
  const onDelete = (user: AdminUser) => {
    if (!window.confirm(`Delete ${user.username} with all their data, tasks and sessions?`)) return;
    setNotice(null);
    update.reset();
    remove.mutate({ user_id: user.user_id }, { onSuccess: () => setNotice(`${user.username} deleted.`) });
  };

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <form className="filters" role="search" aria-label="Filter users" onSubmit={(event) => event.preventDefault()}>
        <TextField label="Search users" name="q" type="search" value={filters.q} hint="Username or email" onChange={(event) => setFilters({ ...filters, q: event.target.value })} />
        <SelectField label="Role filter" name="role" options={[ANY, ...ROLES]} value={filters.role} onChange={(event) => setFilters({ ...filters, role: event.target.value })} />
        <SelectField label="Account filter" name="is_active" options={ACTIVE} value={filters.is_active} onChange={(event) => setFilters({ ...filters, is_active: event.target.value })} />
      </form>
      {notice && <p role="status" className="notice">{notice}</p>}
      <ListTable
        label="Users" list={list} error={update.error ?? remove.error} loading="Loading users…"
        empty={<p className="empty">No users match.</p>}
        columns={["Username", "Email", "Name", "Role", "Account", ACTIONS]}
      >
        {(items) =>
            items.map((user) => (
                <tr key={user.user_id}>
                  <th scope="row">{user.username}{user.user_id === me?.user_id && <small className="description">(you)</small>}</th>
                  <td>{user.email}</td>
                  <td>{user.full_name}</td>
                  <td>
                    <select aria-label={`Role of ${user.username}`} value={user.role} onChange={(event) => change(user, { role: event.target.value as Role })}>
                      {ROLES.map((role) => <option key={role.value} value={role.value}>{role.label}</option>)}
                    </select>
                  </td>
                  <td><span className={`badge ${user.is_active ? "account-active" : "account-inactive"}`}>{user.is_active ? "Active" : "Deactivated"}</span></td>
                  <td className="row-actions">
                    <button type="button" className="secondary" onClick={() => change(user, { is_active: !user.is_active })}>
                      {user.is_active ? "Deactivate" : "Activate"}<span className="visually-hidden"> {user.username}</span>
                    </button>
                    <button type="button" className="danger" aria-label={`Delete ${user.username}`} onClick={() => onDelete(user)}>Delete</button>
                  </td>
                </tr>
            ))
        }
      </ListTable>
      <Pager what="users" pages={pages} nextCursor={list.data?.next_cursor} />
    </section>
  );
}
