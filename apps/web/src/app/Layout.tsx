import { NavLink, Outlet } from "react-router";
import { useSession } from "./session.tsx";

/** The frame of every screen: the navigation (what it offers depends on who is signed in) and the screen. */
export function Layout() {
  const { user, logout } = useSession();
  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="top-bar">
        <span className="brand">Tessera</span>
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
        {user && (
          <div className="who">
            <span>Signed in as <strong>{user.username}</strong></span>
            <button type="button" onClick={() => void logout()}>Sign out</button>
          </div>
        )}
      </header>
      <main id="main">
        <Outlet />
      </main>
    </>
  );
}
