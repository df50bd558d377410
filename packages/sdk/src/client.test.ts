/** createTesseraClient against a live server (default token lifetime; refresh is in refresh.test.ts). */
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { client, liveServer, newUser, signedIn, type TestServer, watchTasks, within } from "../test/helpers.ts";
import { localStorageTokenStore, type StorageLike, TesseraError } from "./index.ts";

let server: TestServer;
beforeAll(async () => {
  server = await liveServer();
});
afterAll(() => server.stop());

describe("auth helpers", () => {
  it("register creates the user without signing in; login stores the tokens; logout ends the session on the server", async () => {
    const onTokensChange = vi.fn();
    const tessera = client(server, { onTokensChange });
    const input = newUser();

    const user = await tessera.register(input);
    expect(user).toMatchObject({ username: input.username, email: input.email, full_name: "Ada Lovelace", gender: "female", age: null });
    expect(await tessera.getTokens()).toBeNull();

    const tokens = await tessera.login({ username: input.email, password: input.password });
    expect(tokens.accessToken.split(".")).toHaveLength(3);
    expect(tokens.expiresAt).toBeGreaterThan(Date.now() + 3_000_000);
    expect(await tessera.getTokens()).toEqual(tokens);
    expect(onTokensChange).toHaveBeenLastCalledWith(tokens);

    const me = await tessera.auth.me.query();
    expect(me.data).toMatchObject({ user_id: user.user_id, role: "user" });

    await tessera.logout();
    expect(await tessera.getTokens()).toBeNull();
    expect(onTokensChange).toHaveBeenLastCalledWith(null);
    // The server ended the session: its tokens no longer work anywhere.
    const elsewhere = client(server);
    await elsewhere.setTokens(tokens);
    await expect(elsewhere.auth.me.query()).rejects.toMatchObject({ code: "INVALID_TOKEN" });
    expect(await elsewhere.getTokens()).toBeNull();
  });

  it("logout while signed out, or with a dead session, just clears", async () => {
    const tessera = client(server);
    await expect(tessera.logout()).resolves.toBeUndefined();
    await tessera.setTokens({ accessToken: "not.a.jwt", refreshToken: "nope", expiresAt: 0 });
    await expect(tessera.logout()).resolves.toBeUndefined();
    expect(await tessera.getTokens()).toBeNull();
  });

  it("a wrong password rejects with INVALID_CREDENTIALS and stores nothing", async () => {
    const tessera = client(server);
    const input = newUser();
    await tessera.register(input);
    await expect(tessera.login({ username: input.username, password: "Wr0ng!password" })).rejects.toMatchObject({
      name: "TesseraError", code: "INVALID_CREDENTIALS",
    });
    expect(await tessera.getTokens()).toBeNull();
  });

  it("keeps tokens in the given store: another client on the same localStorage is signed in", async () => {
    const items = new Map<string, string>();
    const storage: StorageLike = { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
    const { tessera } = await signedIn(server, { tokenStore: localStorageTokenStore({ storage }) });
    expect(items.has("tessera.tokens")).toBe(true);
    const reloaded = client(server, { tokenStore: localStorageTokenStore({ storage }) });
    expect((await reloaded.auth.me.query()).status).toBe("success");
    await tessera.logout();
    expect(items.size).toBe(0);
  });

  it("exposes the router's namespaces and the helpers side by side", () => {
    const tessera = client(server);
    for (const name of ["login", "register", "logout", "refresh", "getTokens", "setTokens"] as const) {
      expect(name in tessera, name).toBe(true);
      expect(typeof tessera[name], name).toBe("function");
    }
    expect(typeof tessera.tasks.create.mutate).toBe("function");
    expect(typeof tessera.auth.login.mutate).toBe("function");
  });

  it.each(["", "/", "/trpc", "/trpc/"])("accepts the server URL with %j appended", async (suffix) => {
    const tessera = client(server, { url: `${server.url}${suffix}` });
    await expect(tessera.register(newUser())).resolves.toHaveProperty("user_id");
  });
});

describe("procedures", () => {
  it("data: create, get, update, list, delete", async () => {
    const { tessera } = await signedIn(server);
    expect(await tessera.data.create.mutate({ key: "color", value: "teal" })).toEqual({ status: "success", message: "Data stored successfully." });
    expect((await tessera.data.get.query({ key: "color" })).data).toEqual({ key: "color", value: "teal" });
    await tessera.data.update.mutate({ key: "color", value: "navy" });
    const page = await tessera.data.list.query({ prefix: "co" });
    expect(page.data.items.map(({ key, value }) => [key, value])).toEqual([["color", "navy"]]);
    await tessera.data.delete.mutate({ key: "color" });
    await expect(tessera.data.get.query({ key: "color" })).rejects.toMatchObject({ code: "KEY_NOT_FOUND" });
  });

  it("sends more calls at once than the server takes in one batch (20) as several batches", async () => {
    const { tessera } = await signedIn(server);
    await tessera.data.create.mutate({ key: "many", value: "v" });
    const answers = await Promise.all(Array.from({ length: 45 }, () => tessera.data.get.query({ key: "many" })));
    expect(answers.map((answer) => answer.data.value)).toEqual(Array(45).fill("v"));
  });

  it("tasks: create, get, update, patch, list, delete", async () => {
    const { tessera } = await signedIn(server);
    const { data: task } = await tessera.tasks.create.mutate({ title: "Write the SDK", priority: "high" });
    expect(task).toMatchObject({ title: "Write the SDK", status: "todo", priority: "high", description: "", due_date: null });
    expect((await tessera.tasks.get.query({ id: task.id })).data).toEqual(task);
    expect((await tessera.tasks.update.mutate({ id: task.id, status: "in_progress" })).data.status).toBe("in_progress");
    expect((await tessera.tasks.patch.mutate({ id: task.id, due_date: "2030-01-31T17:00:00+01:00" })).data.due_date).toBe("2030-01-31T16:00:00.000Z");
    const list = await tessera.tasks.list.query({ status: "in_progress", sort: "-priority" });
    expect(list.data.items.map((t) => t.id)).toEqual([task.id]);
    await tessera.tasks.delete.mutate({ id: task.id });
    await expect(tessera.tasks.get.query({ id: task.id })).rejects.toBeInstanceOf(TesseraError);
  });
});

describe("tasks.onChange", () => {
  it("tells the owner about created, updated and deleted tasks, and nobody else", async () => {
    const [a, b] = [await signedIn(server), await signedIn(server)];
    const [aLive, bLive] = [watchTasks(a.tessera), watchTasks(b.tessera)];
    try {
      // Both subscriptions are in place on the server before anything is written.
      await vi.waitFor(() => expect(server.services.taskEvents.subscriberCount()).toBe(2), { timeout: 5000 });

      const { data: task } = await a.tessera.tasks.create.mutate({ title: "Live" });
      await a.tessera.tasks.patch.mutate({ id: task.id, status: "done" });
      await a.tessera.tasks.delete.mutate({ id: task.id });
      expect(await aLive.waitFor(3)).toEqual([
        { type: "created", task },
        { type: "updated", task: expect.objectContaining({ id: task.id, status: "done" }) },
        { type: "deleted", id: task.id },
      ]);

      // B's own write reaches B, after anything of A's would have: B got nothing of A's.
      const { data: own } = await b.tessera.tasks.create.mutate({ title: "Mine" });
      expect(await bLive.waitFor(1)).toEqual([{ type: "created", task: own }]);
      expect(aLive.events).toHaveLength(3);
      expect([...aLive.errors, ...bLive.errors]).toEqual([]);
    } finally {
      aLive.stop();
      bLive.stop();
    }
    await vi.waitFor(() => expect(server.services.taskEvents.subscriberCount()).toBe(0), { timeout: 5000 });
  });

  it("works on Node 20 with no EventSource passed: the SDK brings its own (the eventsource package)", async () => {
    // This is the runtime the test is about: Node 20 has no global EventSource.
    expect((globalThis as { EventSource?: unknown }).EventSource).toBeUndefined();
    const { tessera } = await signedIn(server, { EventSource: undefined });
    const live = watchTasks(tessera);
    try {
      await live.started;
      await vi.waitFor(() => expect(server.services.taskEvents.subscriberCount()).toBe(1), { timeout: 5000 });
      const { data: task } = await tessera.tasks.create.mutate({ title: "Heard without an EventSource option" });
      expect(await live.waitFor(1)).toEqual([{ type: "created", task }]);
      expect(live.errors).toEqual([]);
    } finally {
      live.stop();
    }
  });

  it("refuses a subscription without a session with INVALID_TOKEN, as a TesseraError", async () => {
    const live = watchTasks(client(server));
    try {
      await within(vi.waitFor(() => expect(live.errors).toHaveLength(1), { timeout: 5000 }), "error");
      expect(live.errors[0]).toBeInstanceOf(TesseraError);
      expect(live.errors[0]).toBeInstanceOf(TRPCClientError);
      expect(live.errors[0]).toMatchObject({ code: "INVALID_TOKEN" });
    } finally {
      live.stop();
    }
  });
});
