/** Response headers: helmet's defaults everywhere, no X-Powered-By, no-store on API answers, CORS only by allowlist. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/server.ts";
import { userWithSession } from "../testing/http.ts";

const ALLOWED = "https://app.example.com";
let plain: TestServer;
let withCors: TestServer;

beforeAll(async () => {
  [plain, withCors] = await Promise.all([startTestServer(), startTestServer({ CORS_ORIGINS: `${ALLOWED},http://localhost:5173` })]);
});
afterAll(() => Promise.all([plain.stop(), withCors.stop()]));

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

  it("marks authenticated API answers, over REST and tRPC, as not storable", async () => {
    const { tokens } = await userWithSession(plain.url);
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
    const other = await fetch(`${withCors.url}/api/me`, { headers: { Origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});
