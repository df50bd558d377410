import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { restClient, trpcClient } from "../testing/clients.ts";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { account } from "../testing/accounts.ts";

let server: TestServer;
let alice: ReturnType<typeof restClient>;
let bob: ReturnType<typeof restClient>;
let aliceToken: string;

beforeAll(async () => {
  server = await startTestServer();
  aliceToken = (await account(server, { register: { username: "alice" } })).token;
  alice = restClient(server.url, aliceToken);
  bob = restClient(server.url, (await account(server, { register: { username: "bob" } })).token);
});
afterAll(() => server.stop());

const path = (key: string, trailingSlash = false) => `/api/data/${encodeURIComponent(key)}${trailingSlash ? "/" : ""}`;

describe("key-value data over REST", () => {
  const awkwardKeys = ["with space", "slash/inside", "ends-with/", "question?mark", "hash#tag", "percent%25", "ünïcødé 😀", "k".repeat(255)];

  it.each(awkwardKeys)("round-trips the key %j through every route", async (key) => {
    expect(await alice("POST", "/api/data", { key, value: "one" })).toMatchObject({
      status: 201, body: { status: "success", message: "Data stored successfully." },
    });
    expect(await alice("GET", path(key))).toMatchObject({ status: 200, body: { status: "success", data: { key, value: "one" } } });
    expect(await alice("PUT", path(key, true), { value: "two" })).toMatchObject({
      status: 200, body: { message: "Data updated successfully." },
    });
    expect((await alice("GET", path(key, true))).body.data.value).toBe("two");
    expect(await alice("DELETE", path(key))).toMatchObject({ status: 200, body: { message: "Data deleted successfully." } });
    expect(await alice("GET", path(key))).toMatchObject({ status: 404, body: { status: "error", code: "KEY_NOT_FOUND" } });
  });

  it("stores a 64 KiB value and refuses one byte more", async () => {
    const max = "x".repeat(64 * 1024);
    expect((await alice("POST", "/api/data", { key: "big", value: max })).status).toBe(201);
    expect((await alice("GET", path("big"))).body.data.value).toBe(max);
    const over = await alice("PUT", path("big"), { value: `${max}y` });
    expect(over).toMatchObject({ status: 400, body: { code: "INVALID_VALUE", details: [{ path: "value" }] } });
  });

  it("stores any string as the value, U+0000 and lone surrogates included, and answers it back exactly", async () => {
    const values = ["a\u0000b", "\u0000".repeat(64 * 1024), "lone \uD800 surrogate", '"looks like \\u0000 JSON"'];
    for (const [i, value] of values.entries()) {
      expect((await alice("POST", "/api/data", { key: `exact/${i}`, value })).status).toBe(201);
      const read = await alice("GET", path(`exact/${i}`));
      expect(read.status).toBe(200);
      expect(read.body.data.value === value, `value ${i} read back as sent`).toBe(true);
    }
    const listed = await alice("GET", `/api/data?prefix=${encodeURIComponent("exact/")}&limit=100`);
    expect(listed.body.data.items.map((item: { value: string }) => item.value)).toEqual(values);
    expect((await alice("PUT", path("exact/0"), { value: "\u0000\u0000" })).status).toBe(200);
    expect((await alice("GET", path("exact/0"))).body.data.value).toBe("\u0000\u0000");
    // Over tRPC too: the same procedure.
    const client = trpcClient(server.url, aliceToken);
    await client.data.create.mutate({ key: "exact/trpc", value: "x\u0000y" });
    expect((await client.data.get.query({ key: "exact/trpc" })).data.value).toBe("x\u0000y");
  });

  it("answers each error code of the contract", async () => {
    await alice("POST", "/api/data", { key: "taken", value: "v" });
    const cases: [Promise<{ status: number; body: any }>, number, string][] = [
      [alice("POST", "/api/data", { key: "taken", value: "again" }), 409, "KEY_EXISTS"],
      [alice("POST", "/api/data", { value: "no key" }), 400, "INVALID_KEY"],
      [alice("POST", "/api/data", { key: 42, value: "v" }), 400, "INVALID_KEY"],
      [alice("POST", "/api/data", { key: "k" }), 400, "INVALID_VALUE"],
      [alice("POST", "/api/data", { key: "k", value: { nested: true } }), 400, "INVALID_VALUE"],
      [alice("POST", "/api/data", {}), 400, "INVALID_KEY"],
      [alice("PUT", path("taken"), {}), 400, "INVALID_VALUE"],
      [alice("PUT", path("missing"), { value: "v" }), 404, "KEY_NOT_FOUND"],
      [alice("DELETE", path("missing")), 404, "KEY_NOT_FOUND"],
      [alice("GET", `/api/data/${"k".repeat(256)}`), 400, "INVALID_KEY"],
      [alice("GET", "/api/data/%E0%A4%A"), 400, "INVALID_KEY"],
      [restClient(server.url)("GET", path("taken")), 401, "INVALID_TOKEN"],
      [restClient(server.url, "garbage")("POST", "/api/data", { key: "k", value: "v" }), 401, "INVALID_TOKEN"],
      [alice("PATCH", path("taken"), { value: "v" }), 405, "METHOD_NOT_ALLOWED"],
    ];
    for (const [response, status, code] of cases) {
      expect(await response).toMatchObject({ status, body: { status: "error", code } });
    }
  });

  it("hides one user's keys from another entirely", async () => {
    await alice("POST", "/api/data", { key: "secret", value: "alice's" });
    expect((await bob("GET", path("secret"))).status).toBe(404);
    expect((await bob("PUT", path("secret"), { value: "stolen" })).status).toBe(404);
    expect((await bob("DELETE", path("secret"))).status).toBe(404);
    expect((await bob("POST", "/api/data", { key: "secret", value: "bob's" })).status).toBe(201);
    expect((await alice("GET", path("secret"))).body.data.value).toBe("alice's");
    const bobsList = await bob("GET", "/api/data?limit=100");
    expect(bobsList.body.data.items.map((item: { key: string }) => item.key)).toEqual(["secret"]);
    expect(bobsList.body.data.items[0].value).toBe("bob's");
  });

  it("pages through a prefix with a cursor, with and without the trailing slash", async () => {
    const keys = Array.from({ length: 7 }, (_, i) => `page:${i}`);
    for (const key of keys) await alice("POST", "/api/data", { key, value: key });
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const query = new URLSearchParams({ prefix: "page:", limit: "3", ...(cursor !== null && { cursor }) });
      const res = await alice("GET", `/api/data${page % 2 ? "/" : ""}?${query}`);
      expect(res.status).toBe(200);
      for (const item of res.body.data.items) {
        expect(item.updated_at).toBe(new Date(item.updated_at).toISOString());
        seen.push(item.key);
      }
      cursor = res.body.data.next_cursor;
      if (cursor === null) break;
    }
    expect(seen).toEqual(keys);
  });

  it.each(["limit=0", "limit=101", "limit=abc", "limit=2.5", "limit=", "limit=0x10", "limit=1e1", "limit=%207", "limit=-1", "limit=5&limit=6", "cursor=%%%", "cursor=bm9wZQ", "cursor="])("refuses list query %s", async (query) => {
    expect(await alice("GET", `/api/data?${query}`)).toMatchObject({ status: 400, body: { code: "INVALID_REQUEST" } });
  });
});

describe("key-value data over tRPC", () => {
  it("keeps numbers strict after REST requests have used the same schema", async () => {
    expect((await alice("GET", "/api/data?limit=3")).status).toBe(200);
    const client = trpcClient(server.url, aliceToken);
    for (const limit of ["3", true]) {
      const error = await client.data.list.query({ limit: limit as never }).catch((e: unknown) => e);
      expect((error as TRPCClientError<never>).data).toMatchObject({ appCode: "INVALID_REQUEST" });
    }
  });

  it("gives the same results and codes as REST", async () => {
    const client = trpcClient(server.url, aliceToken);
    const key = "trpc key/with?odd#chars";
    expect(await client.data.create.mutate({ key, value: "v" })).toEqual({ status: "success", message: "Data stored successfully." });
    expect(await client.data.get.query({ key })).toEqual({ status: "success", data: { key, value: "v" } });
    expect((await alice("GET", path(key))).body.data.value).toBe("v");
    const listed = await client.data.list.query({ prefix: "trpc ", limit: 10 });
    expect(listed.data.items.map((item) => item.key)).toEqual([key]);
    for (const [call, code] of [
      [() => client.data.create.mutate({ key, value: "again" }), "KEY_EXISTS"],
      [() => client.data.get.query({ key: "absent" }), "KEY_NOT_FOUND"],
      [() => client.data.create.mutate({ key: "", value: "v" }), "INVALID_KEY"],
      [() => trpcClient(server.url).data.get.query({ key }), "INVALID_TOKEN"],
    ] as const) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCClientError);
      expect((error as TRPCClientError<never>).data).toMatchObject({ appCode: code });
    }
  });
});
