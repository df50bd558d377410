/**
 * Login throttling against concurrency (issue 16, items 1, 3, 10, 12), over real HTTP. With REDIS_URL set the
 * counts are kept in Redis, without it in the process: the same attacks must fail on both.
 */
import { performance } from "node:perf_hooks";
import { beforeAll, describe, expect, it } from "vitest";
import { call, expectError, expectSuccess, type Reply, registerUser, uniqueName } from "../testing/http.ts";
import { type TestServer, testServers } from "../testing/server.ts";

const WRONG = "Wr0ng!Passw0rd";
const server = testServers();

const token = (s: TestServer, body: unknown, headers: Record<string, string> = {}) =>
  call(s.url, "POST", "/api/token", { json: body, headers });

const codes = (replies: Reply[]) => replies.map((r) => r.body?.code ?? r.status).sort();
const countOf = (values: unknown[], value: unknown) => values.filter((v) => v === value).length;

/** One tRPC batch of auth.token calls, as httpBatchLink sends it; answers one result per call. */
async function tokenBatch(s: TestServer, inputs: unknown[]): Promise<{ status: number; results: any[] }> {
  const path = `/trpc/${inputs.map(() => "auth.token").join(",")}?batch=1`;
  const reply = await call(s.url, "POST", path, { json: Object.fromEntries(inputs.map((input, i) => [i, input])) });
  return { status: reply.status, results: Array.isArray(reply.body) ? reply.body : [reply.body] };
}
const appCode = (result: any) => result?.error?.data?.appCode ?? (result?.result ? "OK" : undefined);

describe("attempts sent together are counted one by one (LOGIN_MAX_FAILURES_PER_ACCOUNT=10)", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await server({ LOGIN_MAX_FAILURES_PER_ADDRESS: "100000" });
  });

  it("checks 10 of 30 parallel wrong passwords, refuses the other 20, then refuses the right one", async () => {
    const { input } = await registerUser(s.url);
    const replies = await Promise.all(Array.from({ length: 30 }, () => token(s, { username: input.username, password: WRONG })));
    const got = codes(replies);
    expect(countOf(got, "INVALID_CREDENTIALS")).toBe(10);
    expect(countOf(got, "RATE_LIMITED")).toBe(20);
    for (const reply of replies.filter((r) => r.status === 429)) expect(Number(reply.headers.get("retry-after"))).toBeGreaterThan(0);
    expectError(await token(s, { username: input.username, password: input.password }), 429, "RATE_LIMITED");
    expectError(await token(s, { username: input.email, password: input.password }), 429, "RATE_LIMITED");
  });

  it("checks 10 of 120 parallel attempts spread over username and email", async () => {
    const { input } = await registerUser(s.url);
    const replies = await Promise.all(
      Array.from({ length: 120 }, (_, i) => token(s, { username: i % 2 ? input.username : input.email.toUpperCase(), password: WRONG })),
    );
    expect(countOf(codes(replies), "INVALID_CREDENTIALS")).toBe(10);
    expect(countOf(codes(replies), "RATE_LIMITED")).toBe(110);
  });

  it("refuses a tRPC batch of 40 × auth.token whole, trying none of them", async () => {
    const { input } = await registerUser(s.url);
    const batch = await tokenBatch(s, Array.from({ length: 40 }, () => ({ username: input.username, password: WRONG })));
    expect(batch.status).toBe(400);
    expectSuccess(await token(s, { username: input.username, password: input.password }));
  });

  it("counts each call of tRPC batches: 2 × 20 wrong passwords at once try 10, and the right one is then refused", async () => {
    const { input } = await registerUser(s.url);
    const guesses = Array.from({ length: 20 }, (_, i) => ({ username: input.username, password: `${WRONG}${i}` }));
    const batches = await Promise.all([tokenBatch(s, guesses), tokenBatch(s, guesses)]);
    const got = batches.flatMap((b) => b.results.map(appCode));
    expect(got).toHaveLength(40);
    expect(countOf(got, "INVALID_CREDENTIALS")).toBe(10);
    expect(countOf(got, "RATE_LIMITED")).toBe(30);
    // The right password as the 40th call of a batch, or alone: refused.
    const last = await tokenBatch(s, [...guesses.slice(0, 19), { username: input.username, password: input.password }]);
    expect(last.results.map(appCode)).toEqual(Array(20).fill("RATE_LIMITED"));
    expectError(await token(s, { username: input.username, password: input.password }), 429, "RATE_LIMITED");
  });

  it("does not count successes: 30 right passwords at once all sign in, and failures still count to 10", async () => {
    const { input } = await registerUser(s.url);
    const replies = await Promise.all(Array.from({ length: 30 }, () => token(s, { username: input.username, password: input.password })));
    // In flight, an attempt holds its place; given back once it succeeds. Some of 30 at once may find 10 in flight.
    expect(countOf(codes(replies), 200) + countOf(codes(replies), "RATE_LIMITED")).toBe(30);
    expect(countOf(codes(replies), 200)).toBeGreaterThanOrEqual(10);
    for (let i = 0; i < 10; i++) expectError(await token(s, { username: input.username, password: WRONG }), 401, "INVALID_CREDENTIALS");
    expectError(await token(s, { username: input.username, password: input.password }), 429, "RATE_LIMITED");
  });
});

describe("per client address (LOGIN_MAX_FAILURES_PER_ADDRESS=5)", () => {
  it("checks 5 of 30 parallel attempts on distinct names, then refuses a right password from the address", async () => {
    const s = await server({ LOGIN_MAX_FAILURES_PER_ADDRESS: "5" });
    const { input } = await registerUser(s.url);
    const replies = await Promise.all(Array.from({ length: 30 }, () => token(s, { username: uniqueName("ghost"), password: WRONG })));
    expect(countOf(codes(replies), "INVALID_CREDENTIALS")).toBe(5);
    expect(countOf(codes(replies), "RATE_LIMITED")).toBe(25);
    expectError(await token(s, { username: input.username, password: input.password }), 429, "RATE_LIMITED");
  });

  it("counts IPv6 clients by /64 and ignores forwarded values that are not addresses (TRUST_PROXY=loopback)", async () => {
    const s = await server({ LOGIN_MAX_FAILURES_PER_ADDRESS: "3", TRUST_PROXY: "loopback" });
    const from = (address: string) => token(s, { username: uniqueName("ghost"), password: WRONG }, { "X-Forwarded-For": address });
    for (const address of ["2001:db8:7:7::1", "2001:DB8:7:7::2", "2001:db8:7:7:ffff:ffff:ffff:ffff"]) {
      expectError(await from(address), 401, "INVALID_CREDENTIALS");
    }
    expectError(await from("2001:0db8:0007:0007:1234::1"), 429, "RATE_LIMITED");
    expectError(await from("2001:db8:7:8::1"), 401, "INVALID_CREDENTIALS");
    // Not addresses: not believed. The request counts against the proxy that sent it (here 127.0.0.1)...
    for (const junk of ["not-an-ip", "999.1.1.1", `${"x".repeat(4000)}`]) expectError(await from(junk), 401, "INVALID_CREDENTIALS");
    expectError(await from("<script>"), 429, "RATE_LIMITED");
    // ...and that is the address the audit log records.
    const audited = await s.services.db.kysely.selectFrom("audit_entries").select("client_address").where("action", "=", "login.failed").execute();
    const addresses = new Set(audited.map((row) => row.client_address));
    expect([...addresses].filter((a) => !/^(127\.0\.0\.1|::ffff:127\.0\.0\.1|::1|2001:db8:.*)$/i.test(a))).toEqual([]);
  });
});

describe("over-long credentials (issue 16 items 3 and 10)", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await server({ LOGIN_MAX_FAILURES_PER_ACCOUNT: "3", LOGIN_MAX_FAILURES_PER_ADDRESS: "100000" });
  });

  it("refuses 900 KB usernames before anything is stored: no throttle key, no audit entry", async () => {
    const auditRows = async () => Number((await s.services.db.kysely.selectFrom("audit_entries").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    const [keysBefore, auditBefore] = [s.services.loginThrottle.sizes(), await auditRows()];
    const rssBefore = process.memoryUsage().rss;
    for (let round = 0; round < 15; round++) {
      const replies = await Promise.all(
        Array.from({ length: 10 }, (_, i) => token(s, { username: `${"a".repeat(900 * 1024)}${round}-${i}`, password: WRONG })),
      );
      for (const reply of replies) {
        expectError(reply, 400, "INVALID_REQUEST");
        expect(reply.text.length).toBeLessThan(1000); // the name is not echoed back
      }
    }
    console.log(`[memory] 150 logins with 900 KB usernames: RSS ${(rssBefore / 2 ** 20).toFixed(0)} → ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB (test process and server together)`);
    expect(s.services.loginThrottle.sizes()).toEqual(keysBefore);
    expect(await auditRows()).toBe(auditBefore);
  });

  it("answers a password over 72 bytes like a wrong one, even when its first 72 bytes are the password", async () => {
    const password = `Aa1!${"p".repeat(68)}`; // 72 bytes: the longest registration accepts
    const { input } = await registerUser(s.url, { password });
    const tooLong = await token(s, { username: input.username, password: `${password}-and-more` });
    const wrong = await token(s, { username: input.username, password: WRONG });
    expectError(tooLong, 401, "INVALID_CREDENTIALS");
    expect(tooLong.body).toEqual(wrong.body);
    // It is a failed attempt like any other: with the wrong one, 2 of 3.
    expectError(await token(s, { username: input.username, password: `${password}${"é".repeat(10)}` }), 401, "INVALID_CREDENTIALS");
    expectError(await token(s, { username: input.username, password }), 429, "RATE_LIMITED");
  });
});

describe("a password over 72 bytes costs what a wrong password costs (BCRYPT_COST=10)", { timeout: 60_000 }, () => {
  it("answers both within 20% of each other (medians of 20 interleaved attempts)", async () => {
    const s = await server({ BCRYPT_COST: "10", LOGIN_MAX_FAILURES_PER_ACCOUNT: "100000", LOGIN_MAX_FAILURES_PER_ADDRESS: "100000" });
    const password = `Aa1!${"p".repeat(68)}`;
    const { input } = await registerUser(s.url, { password });
    const timed = async (attempt: string) => {
      const started = performance.now();
      expectError(await token(s, { username: input.username, password: attempt }), 401, "INVALID_CREDENTIALS");
      return performance.now() - started;
    };
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const long: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 22; i++) {
      // Alternate which goes first so that drift on a shared machine hits both series alike.
      let pair: [number, number];
      if (i % 2) pair = [await timed(`${password}x`), await timed(WRONG)];
      else {
        const w = await timed(WRONG);
        pair = [await timed(`${password}x`), w];
      }
      if (i < 2) continue; // warm-up
      long.push(pair[0]);
      wrong.push(pair[1]);
    }
    console.log(`[timing] median over-long password ${median(long).toFixed(1)} ms, wrong password ${median(wrong).toFixed(1)} ms`);
    // Refused without a comparison it would answer in about a millisecond: far outside 20%.
    expect(Math.min(median(long), median(wrong))).toBeGreaterThan(5);
    expect(Math.abs(median(long) - median(wrong)) / Math.max(median(long), median(wrong))).toBeLessThanOrEqual(0.2);
  });
});
