import { Navigate, Outlet, useLocation } from "react-router";
import { useSession } from "./session.tsx";

/** While the session is not known (loading, or the server unreachable: Layout says so), screens wait. */
function Waiting({ unreachable }: { unreachable: boolean }) {
  return unreachable ? null : <p role="status">Loading…</p>;
}

/** Screens for signed-in users: anyone else goes to the login screen, and comes back after signing in. */
export function RequireUser() {
  const { status } = useSession();
  const location = useLocation();
  if (status === "loading" || status === "unreachable") return <Waiting unreachable={status === "unreachable"} />;
  if (status === "signed-out") return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <Outlet />;
}

/** Screens for admins; the API refuses everyone else anyway (403), this only says so plainly. */
export function RequireAdmin() {
  const { user } = useSession();
  if (user?.role !== "admin") {
    return (
      <section aria-labelledby="forbidden-title">
        <h1 id="forbidden-title">Admins only</h1>
        <p>This page is for administrators.</p>
      </section>
    );
  }
  return <Outlet />;
}

/** Where to go after signing in: the `next` page the user was sent away from, if it is one of ours. */
const nextPage = (search: string) => {
  const next = new URLSearchParams(search).get("next");
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/tasks";
};

/** Sign-in and sign-up: a signed-in user is sent on to the app (so signing in ends here too). */
export function RequireGuest() {
  const { status } = useSession();
  const location = useLocation();
  if (status === "loading" || status === "unreachable") return <Waiting unreachable={status === "unreachable"} />;
  if (status === "signed-in") return <Navigate to={nextPage(location.search)} replace />;
  return <Outlet />;
}
