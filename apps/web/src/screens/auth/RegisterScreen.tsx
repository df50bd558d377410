import type { RegisterInput } from "@tessera/sdk";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useRef } from "react";
import { Link } from "react-router";
import { useSession } from "../../app/session.tsx";
import { tessera } from "../../app/tessera.ts";
import { FormAlert, SelectField, TextField } from "../../forms/fields.tsx";
import { NO_PROBLEMS, toProblems } from "../../forms/problems.ts";
import { useFocusFirstInvalid } from "../../forms/useFocusFirstInvalid.ts";

/** The API's field names, and their labels on this form. */
const FIELDS = { username: "Username", email: "Email", password: "Password", full_name: "Full name", age: "Age", gender: "Gender" };

const GENDERS = [
  { value: "", label: "Choose…" },
  { value: "female", label: "Female" },
  { value: "male", label: "Male" },
  { value: "non-binary", label: "Non-binary" },
  { value: "other", label: "Other" },
  { value: "prefer_not_to_say", label: "Prefer not to say" },
] as const;

/** The form's values as the API takes them; the API validates them all and says what is wrong. */
function readForm(form: HTMLFormElement): RegisterInput {
  const values = new FormData(form);
  const text = (name: string) => String(values.get(name) ?? "");
  const age = text("age").trim();
  return {
    username: text("username"),
    email: text("email"),
    password: text("password"),
    full_name: text("full_name"),
    ...(age !== "" && { age: Number(age) }),
    gender: text("gender") as RegisterInput["gender"],
  };
}

export function RegisterScreen() {
  const { login } = useSession();
  const form = useRef<HTMLFormElement>(null);
  const register = useMutation({
    // Registering then signs the new user in: the guard around this screen then moves on to the tasks.
    mutationFn: async (input: RegisterInput) => {
      await tessera.register(input);
      await login({ username: input.username, password: input.password });
    },
  });
  const problems = register.error ? toProblems(register.error, FIELDS) : NO_PROBLEMS;
  useFocusFirstInvalid(form, register.error);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    register.mutate(readForm(event.currentTarget));
  };

  return (
    <section className="narrow" aria-labelledby="register-title">
      <h1 id="register-title">Create an account</h1>
      <form ref={form} onSubmit={onSubmit} noValidate aria-label="Register">
        <FormAlert message={problems.message} />
        <TextField label="Username" name="username" autoComplete="username" required hint="3–32 letters, digits, _ . or -" error={problems.fields.username} />
        <TextField label="Email" name="email" type="email" autoComplete="email" required error={problems.fields.email} />
        <TextField
          label="Password" name="password" type="password" autoComplete="new-password" required
          hint="At least 8 characters with upper and lower case, a digit and a special character" error={problems.fields.password}
        />
        <TextField label="Full name" name="full_name" autoComplete="name" required error={problems.fields.full_name} />
        <TextField label="Age (optional)" name="age" type="number" min={1} step={1} inputMode="numeric" error={problems.fields.age} />
        <SelectField label="Gender" name="gender" required options={GENDERS} error={problems.fields.gender} />
        <button type="submit" disabled={register.isPending}>{register.isPending ? "Creating account…" : "Create account"}</button>
      </form>
      <p>Already registered? <Link to="/login">Sign in</Link></p>
    </section>
  );
}
