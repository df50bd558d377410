import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppError } from "../../envelope.ts";
import { appCodeOf, createTestServices } from "../../testing/index.ts";

let env: Awaited<ReturnType<typeof createTestServices>>;
beforeAll(async () => {
  env = await createTestServices({ LOGIN_MAX_FAILURES_PER_ACCOUNT: "3" });
});
afterAll(() => env.cleanup());

const account = (username: string) => ({
  username,
  email: `${username}@example.com`,
  password: "Corr3ct-horse",
  full_name: "Test User",
  gender: "other" as const,
});

const login = async (username: string, password = account(username).password) =>
  (await env.caller().auth.token({ username, password })).data;

describe("auth procedures through createCaller", () => {
  it("registers, logs in and reads the current user", async () => {
    const registered = await env.caller().auth.register({ ...account("Carol"), email: "Carol@Example.com", age: 41 });
    expect(registered.data).toMatchObject({ username: "Carol", email: "carol@example.com", age: 41 });
    const tokens = await login("carol@example.com");
    const me = await env.caller({ authorization: `Bearer ${tokens.access_token}` }).auth.me();
    expect(me.data.user_id).toBe(registered.data.user_id);
    expect(me.data.role).toBe("user");
  });

  it("stores a bcrypt hash, never the password", async () => {
    await env.caller().auth.register(account("hashcheck"));
    const row = await env.services.db.kysely.selectFrom("users").select("password_hash").where("username_key", "=", "hashcheck").executeTakeFirstOrThrow();
    expect(row.password_hash).not.toContain(account("hashcheck").password);
    expect(row.password_hash).toMatch(/^\$2[aby]\$04\$/);
  });

  it("lets exactly one of many concurrent registrations of a name win", async () => {
    const attempts = Array.from({ length: 12 }, (_, i) =>
      env.caller().auth.register({ ...account("racer"), username: i % 2 ? "RACER" : "racer", email: `racer${i}@example.com` }),
    );
    const results = await Promise.allSettled(attempts);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const result of results.filter((r) => r.status === "rejected")) {
      expect((result as PromiseRejectedResult).reason).toMatchObject({ appCode: "USERNAME_EXISTS" });
    }
  });

  it("revokes the whole session when a used refresh token comes back", async () => {
    await env.caller().auth.register(account("dave"));
    const first = await login("dave");
    const second = (await env.caller().auth.refresh({ refresh_token: first.refresh_token })).data;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(await appCodeOf(env.caller().auth.refresh({ refresh_token: first.refresh_token }))).toBe("INVALID_TOKEN");
    expect(await appCodeOf(env.caller().auth.refresh({ refresh_token: second.refresh_token }))).toBe("INVALID_TOKEN");
    expect(await appCodeOf(env.caller({ authorization: `Bearer ${second.access_token}` }).auth.me())).toBe("INVALID_TOKEN");
  });

  it("gives one winner when the same refresh token is used twice at once", async () => {
    await env.caller().auth.register(account("erin"));
    const { refresh_token } = await login("erin");
    const results = await Promise.allSettled([1, 2].map(() => env.caller().auth.refresh({ refresh_token })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("ends only the presented session on logout", async () => {
    await env.caller().auth.register(account("frank"));
    const [a, b] = [await login("frank"), await login("frank")];
    await env.caller({ authorization: `Bearer ${a.access_token}` }).auth.logout();
    expect(await appCodeOf(env.caller({ authorization: `Bearer ${a.access_token}` }).auth.me())).toBe("INVALID_TOKEN");
    expect(await appCodeOf(env.caller().auth.refresh({ refresh_token: a.refresh_token }))).toBe("INVALID_TOKEN");
    const me = await env.caller({ authorization: `Bearer ${b.access_token}` }).auth.me();
    expect(me.data.username).toBe("frank");
  });

  it("refuses a deactivated user's tokens and logins", async () => {
    await env.caller().auth.register(account("gina"));
    const tokens = await login("gina");
    await env.services.db.kysely.updateTable("users").set({ is_active: false }).where("username_key", "=", "gina").execute();
    expect(await appCodeOf(env.caller({ authorization: `Bearer ${tokens.access_token}` }).auth.me())).toBe("INVALID_TOKEN");
    expect(await appCodeOf(env.caller().auth.refresh({ refresh_token: tokens.refresh_token }))).toBe("INVALID_TOKEN");
    expect(await appCodeOf(login("gina"))).toBe("INVALID_CREDENTIALS");
  });

  it("blocks an account after the configured failures, even with the right password", async () => {
    await env.caller().auth.register(account("hank"));
    for (let i = 0; i < 2; i++) expect(await appCodeOf(login("hank", "wrong"))).toBe("INVALID_CREDENTIALS");
    expect(await appCodeOf(login("hank@example.com", "wrong"))).toBe("INVALID_CREDENTIALS");
    const error = await login("hank").catch((e: unknown) => e);
    expect(error).toMatchObject({ appCode: "RATE_LIMITED" });
    expect((error as AppError).retryAfter).toBeGreaterThan(0);
  });

  it("refuses NUL characters instead of truncating or failing to store them", async () => {
    const withNul = { ...account("nulcheck"), password: "Corr3ct-\u0000horse" };
    expect(await appCodeOf(env.caller().auth.register(withNul))).toBe("INVALID_PASSWORD");
    expect(await appCodeOf(env.caller().auth.register({ ...account("nulcheck"), full_name: "A\u0000B" }))).toBe("INVALID_REQUEST");
  });

  it("treats empty credentials as missing", async () => {
    expect(await appCodeOf(env.caller().auth.token({ username: "", password: "" }))).toBe("MISSING_FIELDS");
    expect(await appCodeOf(env.caller().auth.refresh({ refresh_token: "" }))).toBe("MISSING_FIELDS");
  });

  it("reports validation problems with the contract's code precedence", async () => {
    const error = await env
      .caller()
      .auth.register({ username: "ok_name", email: "ok@example.com", password: "weak", full_name: "X", age: 0 } as never)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ appCode: "GENDER_REQUIRED" });
    expect((error as AppError).details?.map((d) => d.path).sort()).toEqual(["age", "gender", "password"]);
  });
});
