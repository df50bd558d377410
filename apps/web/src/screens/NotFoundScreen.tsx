import { Link } from "react-router";

export function NotFoundScreen() {
  return (
    <section aria-labelledby="not-found-title">
      <h1 id="not-found-title">Page not found</h1>
      <p>There is nothing at this address. <Link to="/">Go to the start page</Link>.</p>
    </section>
  );
}
