/**
 * Token refresh over real HTTP, with access tokens that live one second. Each test waits for nextSecond():
 * that expires the tokens issued so far and leaves most of a second in which refreshed ones stay valid.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { client, countingFetch, deferred, liveServer, nextSecond, signedIn, sleep, type TestServer, watchTasks } from "../test/helpers.ts";
import { TesseraError } from "./index.ts";

let server: TestServer;
beforeAll(async () => {
  server = await liveServer({ ACCESS_TOKEN_TTL_SECONDS: "1" });
});
afterAll(() => server.stop());

const isInvalidToken = (error: unknown) => error instanceof TesseraError && error.code === "INVALID_TOKEN";

describe("refresh on INVALID_TOKEN", () => {
  it("refreshes once for concurrent calls (one batch), rotates the stored tokens, and every call succeeds", async () => {
    const counter = countingFetch();
    const onTokensChange = vi.fn();
    const { tessera } = await signedIn(server, { fetch: counter.fetch, onTokensChange });
    const before = (await tessera.getTokens())!;
    onTokensChange.mockClear();
    await nextSecond();

    const results = await Promise.all([
      tessera.auth.me.query(),
      tessera.tasks.list.query({}),
      tessera.tasks.create.mutate({ title: "one" }),
      tessera.data.create.mutate({ key: "k", value: "v" }),
      tessera.tasks.create.mutate({ title: "two" }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["success", "success", "success", "success", "success"]);
    expect(counter.refreshes()).toBe(1);
    const after = (await tessera.getTokens())!;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(onTokensChange).toHaveBeenCalledTimes(1);
    expect(onTokensChange).toHaveBeenCalledWith(after);
  });

  it.each(["after", "while"])("refreshes once when another request's INVALID_TOKEN arrives %s the refresh runs", async (when) => {
    // Holds back chosen responses, to order what arrives when.
    const held = { list: deferred(), refresh: deferred() };
    const counter = countingFetch(async (response, paths) => {
      if (paths.includes("tasks.list") && counter.requests.filter((p) => p.includes("tasks.list")).length === 1) await held.list.promise;
      if (paths.includes("auth.refresh") && when === "while") await held.refresh.promise;
      return response;
    });
    const { tessera } = await signedIn(server, { fetch: counter.fetch });
    await nextSecond();

    const list = tessera.tasks.list.query({}); // sent with the expired token; its answer is held
    await sleep(20);
    const me = tessera.auth.me.query(); // another request, also refused: this one starts the refresh
    if (when === "after") await me;
    else await vi.waitFor(() => expect(counter.refreshes()).toBe(1));
    held.list.resolve();
    await sleep(20);
    held.refresh.resolve();

    await expect(Promise.all([list, me])).resolves.toHaveLength(2);
    expect(counter.refreshes()).toBe(1);
    expect(counter.requests.filter((paths) => paths.includes("tasks.list"))).toHaveLength(2);
  });

  it("waits for a refresh in flight before sending a new call, so it carries the new token", async () => {
    const counter = countingFetch();
    const { tessera } = await signedIn(server, { fetch: counter.fetch });
    await nextSecond();
    const refreshed = tessera.refresh();
    const [tokens, me] = await Promise.all([refreshed, tessera.auth.me.query()]);
    expect(me.status).toBe("success");
    expect(counter.requests.map((paths) => paths.join())).toEqual(["auth.token", "auth.refresh", "auth.me"]);
    expect((await tessera.getTokens())!).toEqual(tokens);
  });

  it("refresh(): concurrent explicit refreshes share one request", async () => {
    const counter = countingFetch();
    const { tessera } = await signedIn(server, { fetch: counter.fetch });
    const [a, b, c] = await Promise.all([tessera.refresh(), tessera.refresh(), tessera.refresh()]);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(counter.refreshes()).toBe(1);
  });

  it("a refused refresh clears the tokens and every waiting call rejects with INVALID_TOKEN", async () => {
    const counter = countingFetch();
    const onTokensChange = vi.fn();
    const { tessera } = await signedIn(server, { fetch: counter.fetch, onTokensChange });
    const tokens = (await tessera.getTokens())!;
    // Another client with a copy of the tokens rotates them first: this client's refresh token is then spent,
    // and presenting it is what the server treats as theft.
    const thief = client(server);
    await thief.setTokens(tokens);
    await thief.refresh();
    await nextSecond();

    const settled = await Promise.allSettled([tessera.tasks.list.query({}), tessera.auth.me.query(), tessera.data.list.query({})]);
    expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected", "rejected"]);
    for (const s of settled) expect(isInvalidToken((s as PromiseRejectedResult).reason)).toBe(true);
    expect(counter.refreshes()).toBe(1);
    expect(await tessera.getTokens()).toBeNull();
    expect(onTokensChange).toHaveBeenLastCalledWith(null);
    // Reuse revoked the whole session, the thief's rotated tokens included.
    await expect(thief.auth.me.query()).rejects.toSatisfy(isInvalidToken);
  });

  it("a call made signed out is INVALID_TOKEN at once, without a refresh", async () => {
    const counter = countingFetch();
    const { tessera } = await signedIn(server, { fetch: counter.fetch });
    await tessera.setTokens(null);
    await expect(tessera.tasks.list.query({})).rejects.toSatisfy(isInvalidToken);
    expect(counter.refreshes()).toBe(0);
  });

  it("refreshes for a subscription whose token has expired, then delivers its events", async () => {
    const counter = countingFetch();
    const { tessera } = await signedIn(server, { fetch: counter.fetch });
    await nextSecond();
    const live = watchTasks(tessera);
    try {
      await vi.waitFor(() => expect(server.services.taskEvents.subscriberCount()).toBe(1), { timeout: 5000 });
      expect(counter.refreshes()).toBe(1);
      const { data: task } = await tessera.tasks.create.mutate({ title: "after refresh" });
      expect(await live.waitFor(1)).toEqual([{ type: "created", task }]);
      expect(live.errors).toEqual([]);
    } finally {
      live.stop();
    }
    await vi.waitFor(() => expect(server.services.taskEvents.subscriberCount()).toBe(0), { timeout: 5000 });
  });
});

