import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useRef } from "react";
import { Link } from "react-router";
import { useSession } from "../../app/session.tsx";
import { FormAlert, TextField } from "../../forms/fields.tsx";
import { NO_PROBLEMS, toProblems } from "../../forms/problems.ts";
import { useFocusFirstInvalid } from "../../forms/useFocusFirstInvalid.ts";

/** The API's field names, and their labels on this form. */
const FIELDS = { username: "Username or email", password: "Password" };

export function LoginScreen() {
  const { login } = useSession();
  const form = useRef<HTMLFormElement>(null);
  // On success the session knows the user and the guard around this screen moves on.
  const signIn = useMutation({ mutationFn: login });
  const problems = signIn.error ? toProblems(signIn.error, FIELDS) : NO_PROBLEMS;
  useFocusFirstInvalid(form, signIn.error);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values = new FormData(event.currentTarget);
    signIn.mutate({ username: String(values.get("username")), password: String(values.get("password")) });
  };

  return (
    <section className="narrow" aria-labelledby="login-title">
      <h1 id="login-title">Sign in</h1>
      <form ref={form} onSubmit={onSubmit} noValidate aria-label="Sign in">
        <FormAlert message={problems.message} />
        <TextField label="Username or email" name="username" autoComplete="username" required error={problems.fields.username} />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required error={problems.fields.password} />
        <button type="submit" disabled={signIn.isPending}>{signIn.isPending ? "Signing in…" : "Sign in"}</button>
      </form>
      <p>No account yet? <Link to="/register">Register</Link></p>
    </section>
  );
}
