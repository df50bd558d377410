import { useEffect, useState } from "react";
import { NavLink, Outlet, useLocation } from "react-router";
import { type Session, useSession } from "./session.tsx";

/**
 * The frame of every screen: the navigation (what it offers depends on who is signed in) and the screen. On a
 * narrow screen the navigation folds into a Menu button. While the session is not known, only the brand shows:
 * no signed-out links that would flash before the signed-in ones.
 */
export function Layout() {
  const session = useSession();
  const [open, setOpen] = useState(false);
  const { pathname } = useLocation();
  useEffect(() => setOpen(false), [pathname]); // a link was followed: the menu closes
  const known = session.status === "signed-in" || session.status === "signed-out";

  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="top-bar" aria-busy={session.status === "loading" || undefined}>
        <span className="brand">Tessera</span>
        {known && (
          <>
            <button
              type="button" className="menu-button" aria-expanded={open} aria-controls="main-menu"
              onClick={() => setOpen(!open)}
            >
              Menu
            </button>
            <div id="main-menu" className="menu" data-open={open}>
              <MainNav session={session} />
              {session.user && (
                <div className="who">
                  <span>Signed in as <strong>{session.user.username}</strong></span>
                  <button type="button" onClick={() => void session.logout()}>Sign out</button>
                </div>
              )}
            </div>
          </>
        )}
      </header>
      {session.status === "unreachable" && <Unreachable session={session} />}
      <main id="main">
        <Outlet />
      </main>
    </>
  );
}

function MainNav({ session: { user } }: { session: Session }) {
  return (
    <nav aria-label="Main">
      <ul>
        {user ? (
          <>
            <li><NavLink to="/tasks">Tasks</NavLink></li>
            <li><NavLink to="/data">Key-value data</NavLink></li>
            <li><NavLink to="/shop">Shop</NavLink></li>
            <li><NavLink to="/cart">Cart</NavLink></li>
            <li><NavLink to="/orders">Orders</NavLink></li>
            <li><NavLink to="/seller">Sell</NavLink></li>
            {user.role === "admin" && <li><NavLink to="/admin/users">Users</NavLink></li>}
          </>
        ) : (
          <>
            <li><NavLink to="/shop">Shop</NavLink></li>
            <li><NavLink to="/login">Sign in</NavLink></li>
            <li><NavLink to="/register">Register</NavLink></li>
          </>
        )}
        <li><a href="/docs">API reference</a></li>
      </ul>
    </nav>
  );
}

/** The session is kept (its tokens stay stored); the app carries on once `auth.me` answers. */
function Unreachable({ session }: { session: Session }) {
  return (
    <div className="unreachable" role="alert">
      <p>
        <strong>{session.problem}</strong> You are still signed in: this page loads as soon as the server answers.
      </p>
      <button type="button" className="secondary" onClick={session.retry}>Try again</button>
    </div>
  );
}
