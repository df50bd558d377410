/**
 * Registration abuse (issue 16, item 4) over real HTTP: registrations are throttled per client address, and a
 * burst of them cannot keep an existing user from logging in (they share the bcrypt workers).
 */
import { describe, expect, it, vi } from "vitest";
import { call, expectError, expectSuccess, login, newUser, registerUser } from "../testing/http.ts";
import { type TestServer, testServers } from "../testing/server.ts";

const server = testServers();

const register = (s: TestServer, headers: Record<string, string> = {}) =>
  call(s.url, "POST", "/api/register", { json: newUser(), headers });

describe("registrations per client address (REGISTER_MAX_PER_ADDRESS=5)", () => {
  it("accepts 5 of 12 sent at once from one address and refuses the rest with 429 and Retry-After", async () => {
    const s = await server({ REGISTER_MAX_PER_ADDRESS: "5", REGISTER_WINDOW_SECONDS: "600" });
    const replies = await Promise.all(Array.from({ length: 12 }, () => register(s)));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(5);
    const refused = replies.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(7);
    for (const reply of refused) {
      expectError(reply, 429, "RATE_LIMITED");
      expect(Number(reply.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(Number(reply.headers.get("retry-after"))).toBeLessThanOrEqual(600);
    }
    // Refused before anything was written: only the 5 accounts exist.
    const users = await s.services.db.kysely.selectFrom("users").select("id").execute();
    expect(users).toHaveLength(5);
  });

  it("counts IPv6 clients by /64 (TRUST_PROXY=loopback), and other addresses are not affected", async () => {
    const s = await server({ REGISTER_MAX_PER_ADDRESS: "2", TRUST_PROXY: "loopback" });
    expectSuccess(await register(s, { "X-Forwarded-For": "2001:db8:aa:1::1" }), 201);
    expectSuccess(await register(s, { "X-Forwarded-For": "2001:db8:aa:1:ffff::2" }), 201);
    expectError(await register(s, { "X-Forwarded-For": "2001:db8:aa:1::abcd" }), 429, "RATE_LIMITED");
    expectSuccess(await register(s, { "X-Forwarded-For": "2001:db8:aa:2::1" }), 201);
    expectSuccess(await register(s, { "X-Forwarded-For": "198.51.100.20" }), 201);
  });
});

describe("logins are not starved by registrations (BCRYPT_COST=10)", { timeout: 120_000 }, () => {
  it("signs a user in while 40 registrations are in flight, ahead of those still waiting", async () => {
    const s = await server({ BCRYPT_COST: "10" });
    const { input } = await registerUser(s.url);
    const finished: string[] = [];
    const registrations = Array.from({ length: 40 }, () => register(s).then((reply) => (finished.push("register"), reply)));
    // Wait until most registrations are queued for bcrypt (one core fewer than the machine has hash at once), then log in.
    await vi.waitFor(() => expect(s.services.passwords.load().waiting).toBeGreaterThanOrEqual(20), { timeout: 30_000, interval: 5 });
    const atLogin = s.services.passwords.load();
    const signedIn = login(s.url, input.username, input.password).then((tokens) => (finished.push("login"), tokens));
    expect((await signedIn).access_token).toBeTruthy();
    for (const reply of await Promise.all(registrations)) expectSuccess(reply, 201);
    // First come, first served would have put the login behind every registration waiting when it arrived; it
    // finished before most of them (behind those being hashed at the time, at most).
    const position = finished.indexOf("login");
    console.log(`[bcrypt] the login finished ${position + 1}th of 41; ${atLogin.running} hashing and ${atLogin.waiting} waiting when it was sent`);
    expect(position).toBeLessThanOrEqual(atLogin.running + Math.floor(atLogin.waiting / 2));
  });
});
