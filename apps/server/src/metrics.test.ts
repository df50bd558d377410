/**
 * GET /metrics (Prometheus text format), checked after known requests: request durations counted by method, route
 * template (never the raw URL) and status; node's process metrics; open event streams; the database pool on
 * PostgreSQL; and METRICS_TOKEN when set.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testPostgresUrl } from "@tessera/db/testing";
import { call } from "./testing/http.ts";
import { startTestServer, type TestServer } from "./testing/server.ts";
import { account } from "./testing/accounts.ts";

/** The samples of a Prometheus text exposition: name{labels} value, by their full series text. */
function samples(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const space = line.lastIndexOf(" ");
    series.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return series;
}

async function scrape(url: string, token?: string) {
  const res = await fetch(`${url}/metrics`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

const count = (series: Map<string, number>, labels: string) => series.get(`http_server_request_duration_seconds_count{${labels}}`) ?? 0;

describe("GET /metrics", () => {
  let server: TestServer;
  beforeAll(async () => (server = await startTestServer()));
  afterAll(() => server.stop());

  it("counts requests by method, route template and status, never by raw URL", async () => {
    const { tokens } = await account(server.url);
    const before = samples((await scrape(server.url)).text);
    await fetch(`${server.url}/healthz`);
    await fetch(`${server.url}/healthz`);
    expect((await call(server.url, "GET", "/api/data/secret-key-name", { token: tokens.access_token })).status).toBe(404);
    expect((await call(server.url, "DELETE", "/api/me", { token: tokens.access_token })).status).toBe(405);
    expect((await call(server.url, "GET", "/api/nowhere/at/all")).status).toBe(404);
    await fetch(`${server.url}/trpc/auth.me`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });

    const scraped = await scrape(server.url);
    expect(scraped.status).toBe(200);
    expect(scraped.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const after = samples(scraped.text);
    const grew = (labels: string) => count(after, labels) - count(before, labels);
    expect(grew('method="GET",route="/healthz",status_code="200"')).toBe(2);
    expect(grew('method="GET",route="/api/data/{key}",status_code="404"')).toBe(1);
    expect(grew('method="DELETE",route="/api/me",status_code="405"')).toBe(1);
    expect(grew('method="GET",route="unknown",status_code="404"')).toBe(1);
    expect(grew('method="GET",route="/trpc/auth.me",status_code="200"')).toBe(1);
    expect(scraped.text).not.toContain("secret-key-name");
    expect(scraped.text).not.toContain("nowhere");
  });

  it("counts registrations and logins by outcome", async () => {
    const before = samples((await scrape(server.url)).text);
    const { input } = await account(server.url); // one registration, one login
    expect((await call(server.url, "POST", "/api/token", { json: { username: input.username, password: "Wrong-passw0rd!" } })).status).toBe(401);
    const after = samples((await scrape(server.url)).text);
    const grew = (series: string) => (after.get(series) ?? 0) - (before.get(series) ?? 0);
    expect(grew("tessera_registrations_total")).toBe(1);
    expect(grew('tessera_logins_total{outcome="succeeded"}')).toBe(1);
    expect(grew('tessera_logins_total{outcome="failed"}')).toBe(1);
  });

  it("has node's process metrics, the open streams and, on PostgreSQL, the pool", async () => {
    const { tokens } = await account(server.url);
    const stream = await fetch(`${server.url}/trpc/tasks.onChange`, { headers: { Accept: "text/event-stream", Authorization: `Bearer ${tokens.access_token}` } });
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    try {
      const series = samples((await scrape(server.url)).text);
      expect(series.get("process_resident_memory_bytes")).toBeGreaterThan(10_000_000);
      expect(series.has("nodejs_eventloop_lag_seconds")).toBe(true);
      expect([...series.keys()].some((name) => name.startsWith("nodejs_gc_duration_seconds"))).toBe(true);
      expect(series.get("tessera_sse_streams_open")).toBeGreaterThanOrEqual(1);
      if (testPostgresUrl() !== undefined) {
        expect(series.get('tessera_db_pool_connections{state="idle"}')).toBeGreaterThanOrEqual(0);
        expect(series.get('tessera_db_pool_connections{state="waiting"}')).toBe(0);
      } else {
        expect([...series.keys()].some((name) => name.startsWith("tessera_db_pool_connections"))).toBe(false);
      }
    } finally {
      await stream.body?.cancel();
    }
  });
});

describe("GET /metrics with METRICS_TOKEN", () => {
  let server: TestServer;
  const token = "metrics-token-0123456789";
  beforeAll(async () => (server = await startTestServer({ METRICS_TOKEN: token })));
  afterAll(() => server.stop());

  it("answers only a request bearing the token", async () => {
    expect((await scrape(server.url)).status).toBe(401);
    expect((await scrape(server.url, "wrong-token-0123456789")).status).toBe(401);
    const scraped = await scrape(server.url, token);
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain("http_server_request_duration_seconds_bucket");
  });
});
