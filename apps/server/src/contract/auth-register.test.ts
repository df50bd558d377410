/** POST /api/register — docs/contract.md "Auth" and the precedence rules at its end. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/server.ts";
import {
  call, detailPaths, expectError, expectSuccess, login, me, newUser, PASSWORD, type RegisterInput, registerUser, uniqueName,
} from "../testing/http.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const register = (body: unknown) => call(server.url, "POST", "/api/register", { json: body });
const without = (input: RegisterInput, ...fields: string[]) =>
  Object.fromEntries(Object.entries(input).filter(([key]) => !fields.includes(key)));

describe("POST /api/register: success", () => {
  it("answers 201 with exactly the documented envelope", async () => {
    const input = newUser({ age: 30, gender: "male", full_name: "John Doe" });
    const reply = await register(input);
    expectSuccess(reply, 201);
    expect(reply.body).toEqual({
      status: "success",
      message: "User successfully registered!",
      data: {
        user_id: expect.any(String),
        username: input.username,
        email: input.email,
        full_name: input.full_name,
        age: 30,
        gender: "male",
      },
    });
    expect(reply.body.data.user_id.length).toBeGreaterThan(0);
  });

  it("gives each account its own string user_id", async () => {
    const [a, b] = await Promise.all([registerUser(server.url), registerUser(server.url)]);
    expect(a.data.user_id).not.toBe(b.data.user_id);
  });

  it("answers age null when age is omitted", async () => {
    const reply = await register(without(newUser(), "age"));
    expectSuccess(reply, 201);
    expect(reply.body.data.age).toBeNull();
    expect(Object.keys(reply.body.data)).toContain("age");
  });

  it("stores the email lower-cased (register answer and /api/me)", async () => {
    const username = uniqueName("Mixed");
    const { data } = await registerUser(server.url, { username, email: `${username}@Example.COM` });
    expect(data.email).toBe(`${username}@Example.COM`.toLowerCase());
    const tokens = await login(server.url, username);
    expect((await me(server.url, tokens.access_token)).body.data.email).toBe(`${username}@example.com`.toLowerCase());
  });

  it.each(["male", "female", "non-binary", "other", "prefer_not_to_say"])("accepts gender %s", async (gender) => {
    const reply = await register(newUser({ gender }));
    expectSuccess(reply, 201);
    expect(reply.body.data.gender).toBe(gender);
  });

  it("accepts the length bounds: 3 and 32 character usernames, 100 code point full names", async () => {
    for (const username of [uniqueName("x").slice(0, 3), `${uniqueName("y")}${"z".repeat(32)}`.slice(0, 32)]) {
      expectSuccess(await register(newUser({ username, email: `${username}@example.com` })), 201);
    }
    // 100 characters, 400 bytes of UTF-8: lengths are code points.
    const fullName = "😀".repeat(100);
    const reply = await register(newUser({ full_name: fullName }));
    expectSuccess(reply, 201);
    expect(reply.body.data.full_name).toBe(fullName);
  });

  it("ignores unknown fields (a role or user_id in the body changes nothing)", async () => {
    const input = newUser({ role: "admin", user_id: "chosen-id", is_admin: true, extra: { nested: [1, 2] } });
    const reply = await register(input);
    expectSuccess(reply, 201);
    expect(reply.body.data.user_id).not.toBe("chosen-id");
    expect(Object.keys(reply.body.data).sort()).toEqual(["age", "email", "full_name", "gender", "user_id", "username"]);
    const tokens = await login(server.url, input.username);
    expect((await me(server.url, tokens.access_token)).body.data.role).toBe("user");
  });
});

describe("POST /api/register: 400 INVALID_REQUEST", () => {
  it("names every missing required field in the message and details", async () => {
    const reply = await register({});
    expectError(reply, 400, "INVALID_REQUEST");
    for (const field of ["username", "email", "password", "full_name"]) {
      expect(reply.body.message).toContain(field);
      expect(detailPaths(reply)).toContain(field);
    }
  });

  it.each(["username", "email", "password", "full_name"])("names a missing %s", async (field) => {
    const reply = await register(without(newUser(), field));
    expectError(reply, 400, "INVALID_REQUEST");
    expect(reply.body.message).toContain(field);
    expect(detailPaths(reply)).toEqual([field]);
  });

  it.each([
    ["too short", "ab"],
    ["too long", "a".repeat(33)],
    ["with a space", "bad name"],
    ["non-ASCII", "héllo_user"],
    ["with a slash", "a/b/c"],
    ["with an @", "me@home"],
    ["a number", 12345],
  ])("refuses a username %s", async (_label, username) => {
    const reply = await register(newUser({ username: username as string }));
    expectError(reply, 400, "INVALID_REQUEST");
    expect(detailPaths(reply)).toEqual(["username"]);
  });

  it.each([["no at sign", "not-an-email"], ["no domain", "someone@"], ["no local part", "@example.com"], ["a number", 42]])(
    "refuses an email with %s",
    async (_label, email) => {
      const reply = await register(newUser({ email: email as string }));
      expectError(reply, 400, "INVALID_REQUEST");
      expect(detailPaths(reply)).toEqual(["email"]);
    },
  );

  it.each([["empty", ""], ["101 characters", "é".repeat(101)], ["a number", 7]])("refuses a full_name that is %s", async (_l, fullName) => {
    const reply = await register(newUser({ full_name: fullName as string }));
    expectError(reply, 400, "INVALID_REQUEST");
    expect(detailPaths(reply)).toEqual(["full_name"]);
  });

  it.each(["robot", "MALE_", "unknown", 5, ["male"]])("refuses gender %j (outside the list)", async (gender) => {
    const reply = await register(newUser({ gender }));
    expectError(reply, 400, "INVALID_REQUEST");
    expect(detailPaths(reply)).toEqual(["gender"]);
  });

  it("refuses a password that is not a string as ill-typed", async () => {
    const reply = await register(newUser({ password: 12345678 as unknown as string }));
    expectError(reply, 400, "INVALID_REQUEST");
    expect(detailPaths(reply)).toEqual(["password"]);
  });
});

describe("POST /api/register: 400 INVALID_PASSWORD, INVALID_AGE, GENDER_REQUIRED", () => {
  it.each([
    ["fewer than 8 characters", "Ab1!xyz"],
    ["no upper case", "lower1!case"],
    ["no lower case", "UPPER1!CASE"],
    ["no digit", "NoDigits!!"],
    ["no special character", "NoSpecial123"],
    ["more than 72 UTF-8 bytes (40 characters)", `Aa1!${"é".repeat(36)}`],
    ["more than 72 bytes (73 ASCII)", `Aa1!${"x".repeat(69)}`],
  ])("INVALID_PASSWORD: %s", async (_label, password) => {
    const reply = await register(newUser({ password }));
    expectError(reply, 400, "INVALID_PASSWORD");
    expect(detailPaths(reply)).toEqual(["password"]);
  });

  it("accepts a 72-byte password and uses every byte of it", async () => {
    const password = `Aa1!${"x".repeat(67)}y`;
    expect(Buffer.byteLength(password)).toBe(72);
    const { input } = await registerUser(server.url, { password });
    await login(server.url, input.username, password);
    const wrongLast = await call(server.url, "POST", "/api/token", { json: { username: input.username, password: `${password.slice(0, 71)}z` } });
    expectError(wrongLast, 401, "INVALID_CREDENTIALS");
  });

  it.each([0, -1, 1.5, "abc", true, "30", [30], { value: 30 }])("INVALID_AGE for age %j", async (age) => {
    const reply = await register(newUser({ age }));
    expectError(reply, 400, "INVALID_AGE");
    expect(detailPaths(reply)).toEqual(["age"]);
  });

  it.each([["missing", undefined], ["null", null], ["empty", ""]])("GENDER_REQUIRED when gender is %s", async (_label, gender) => {
    const input = gender === undefined ? without(newUser(), "gender") : newUser({ gender });
    const reply = await register(input);
    expectError(reply, 400, "GENDER_REQUIRED");
    expect(detailPaths(reply)).toEqual(["gender"]);
  });
});

describe("POST /api/register: several failing fields", () => {
  it.each([
    ["INVALID_REQUEST", { username: undefined, age: 0, password: "weak", gender: null }, ["username", "age", "password", "gender"]],
    ["INVALID_REQUEST", { email: "nope", age: -1, password: "weak" }, ["email", "age", "password"]],
    ["INVALID_REQUEST", { gender: "robot", age: 1.5 }, ["gender", "age"]],
    ["GENDER_REQUIRED", { gender: "", age: "abc", password: "weak" }, ["gender", "age", "password"]],
    ["INVALID_AGE", { age: true, password: "NoDigits!!" }, ["age", "password"]],
  ] as const)("answers %s and lists every field in details (%j)", async (code, overrides, paths) => {
    const input: Record<string, unknown> = newUser(overrides as Partial<RegisterInput>);
    for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete input[key];
    const reply = await register(input);
    expectError(reply, 400, code);
    expect([...new Set(detailPaths(reply))].sort()).toEqual([...paths].sort());
    // docs/contract.md: an INVALID_REQUEST message names the fields, all of them, whatever code each one's own problem has.
    if (code === "INVALID_REQUEST") for (const path of paths) expect(reply.body.message).toContain(path);
  });

  it("validates before checking uniqueness (a taken username with a bad password is 400)", async () => {
    const { input } = await registerUser(server.url);
    const reply = await register(newUser({ username: input.username, password: "weak" }));
    expectError(reply, 400, "INVALID_PASSWORD");
  });
});

describe("POST /api/register: 409", () => {
  it("USERNAME_EXISTS for the same username in another case", async () => {
    const { input } = await registerUser(server.url, { username: uniqueName("Case") });
    const other = newUser({ username: input.username.toUpperCase() });
    expectError(await register(other), 409, "USERNAME_EXISTS");
    expectError(await register(newUser({ username: input.username })), 409, "USERNAME_EXISTS");
  });

  it("EMAIL_EXISTS for the same email in another case", async () => {
    const { input } = await registerUser(server.url);
    expectError(await register(newUser({ email: input.email })), 409, "EMAIL_EXISTS");
    expectError(await register(newUser({ email: input.email.toUpperCase() })), 409, "EMAIL_EXISTS");
  });

  it("20 concurrent registrations of one username: exactly one 201, the others 409 USERNAME_EXISTS", async () => {
    const username = uniqueName("race");
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        register(newUser({ username: i % 2 ? username.toUpperCase() : username, email: `${username}.${i}@example.com` })),
      ),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    for (const reply of replies.filter((r) => r.status !== 201)) expectError(reply, 409, "USERNAME_EXISTS");
  });

  it("20 concurrent registrations of one email: exactly one 201, the others 409 EMAIL_EXISTS", async () => {
    const email = `${uniqueName("race")}@example.com`;
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => register(newUser({ email: i % 2 ? email.toUpperCase() : email }))));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    for (const reply of replies.filter((r) => r.status !== 201)) expectError(reply, 409, "EMAIL_EXISTS");
  });

  it("a refused registration leaves the existing account's password working", async () => {
    const { input } = await registerUser(server.url);
    await register(newUser({ username: input.username, password: `${PASSWORD}x` }));
    await login(server.url, input.username, input.password);
  });
});
