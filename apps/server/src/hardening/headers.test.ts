/** Response headers: helmet's defaults everywhere, no X-Powered-By, no-store on API answers, CORS only by allowlist. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { account } from "../testing/accounts.ts";

const ALLOWED = "https://app.example.com";
let plain: TestServer;
let withCors: TestServer;
let behindProxy: TestServer;

beforeAll(async () => {
  [plain, withCors, behindProxy] = await Promise.all([
    startTestServer(),
    startTestServer({ CORS_ORIGINS: `${ALLOWED},http://localhost:5173` }),
    startTestServer({ TRUST_PROXY: "loopback" }),
  ]);
});
afterAll(() => Promise.all([plain.stop(), withCors.stop(), behindProxy.stop()]));

describe("security headers", () => {
  it.each(["/api/me", "/api/nope", "/trpc/auth.me", "/docs", "/healthz"])("answers %s with helmet's headers and no X-Powered-By", async (path) => {
    const res = await fetch(`${plain.url}${path}`);
    expect(res.headers.get("x-powered-by")).toBeNull();
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect(res.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(res.headers.get("x-xss-protection")).toBe("0");
  });

  it("asks browsers to upgrade insecure requests only for a request that came over HTTPS", async () => {
    const csp = async (server: TestServer, headers: Record<string, string> = {}) => (await fetch(`${server.url}/docs`, { headers })).headers.get("content-security-policy")!;
    // Plain HTTP: the page's scripts must load over http too (any host name, not only localhost).
    expect(await csp(plain)).not.toContain("upgrade-insecure-requests");
    expect(await csp(plain, { "X-Forwarded-Proto": "https" })).not.toContain("upgrade-insecure-requests"); // no proxy is trusted
    expect(await csp(behindProxy, { "X-Forwarded-Proto": "https" })).toContain("upgrade-insecure-requests");
    expect(await csp(behindProxy, { "X-Forwarded-Proto": "http" })).not.toContain("upgrade-insecure-requests");
    expect(await csp(behindProxy)).toContain("default-src 'self'");
  });

  it("marks authenticated API answers, over REST and tRPC, as not storable", async () => {
    const { tokens } = await account(plain.url);
    const auth = { Authorization: `Bearer ${tokens.access_token}` };
    for (const path of ["/api/me", "/trpc/auth.me"]) {
      const res = await fetch(`${plain.url}${path}`, { headers: auth });
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("sends no CORS headers unless origins are configured", async () => {
    const res = await fetch(`${plain.url}/api/me`, { headers: { Origin: ALLOWED } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await fetch(`${plain.url}/api/me`, { method: "OPTIONS", headers: { Origin: ALLOWED, "Access-Control-Request-Method": "GET" } });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("allows only the configured origins, preflight included", async () => {
    const preflight = await fetch(`${withCors.url}/api/tasks`, {
      method: "OPTIONS",
      headers: { Origin: ALLOWED, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    // A browser app checking out sends Idempotency-Key, and reads X-Request-Id and Retry-After.
    const checkout = await fetch(`${withCors.url}/api/checkout`, {
      method: "OPTIONS",
      headers: { Origin: ALLOWED, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type,idempotency-key" },
    });
    expect(checkout.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("idempotency-key");
    const answer = await fetch(`${withCors.url}/api/me`, { headers: { Origin: ALLOWED } });
    expect(answer.headers.get("access-control-expose-headers")?.toLowerCase()).toBe("x-request-id,retry-after");
    const other = await fetch(`${withCors.url}/api/me`, { headers: { Origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});
