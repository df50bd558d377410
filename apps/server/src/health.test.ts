import { createServer as createHttpServer } from "node:http";
import { closedPort } from "@tessera/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { health } from "./http/health.ts";
import { startTestServer, type TestServer } from "./testing/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe("operations routes", () => {
  it("answers /healthz and /readyz with the success envelope", async () => {
    for (const route of ["/healthz", "/readyz"]) {
      const res = await fetch(`${server.url}${route}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "success" });
    }
  });

  it("echoes a valid X-Request-Id and replaces an invalid one", async () => {
    const kept = await fetch(`${server.url}/healthz`, { headers: { "X-Request-Id": "abc.DEF_123-x" } });
    expect(kept.headers.get("x-request-id")).toBe("abc.DEF_123-x");
    const replaced = await fetch(`${server.url}/healthz`, { headers: { "X-Request-Id": "bad id!" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("/readyz when the database does not answer", () => {
  it("answers 503 NOT_READY with the error envelope", async () => {
    const readyz = health(() => Promise.reject(new Error("the database does not answer")));
    const listener = createHttpServer((req, res) => void readyz(req.method ?? "GET", "/readyz", res)).listen(0);
    await new Promise((resolve) => listener.once("listening", resolve));
    try {
      const { port } = listener.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: "error", code: "NOT_READY", message: "Not ready: the database does not answer." });
    } finally {
      listener.close();
    }
  });
});

describe("/readyz when Redis is configured but does not answer", () => {
  it("answers 503 NOT_READY while /healthz stays 200", async () => {
    const down = await startTestServer({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
    try {
      expect((await fetch(`${down.url}/healthz`)).status).toBe(200);
      const res = await fetch(`${down.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: "error", code: "NOT_READY", message: "Not ready: Redis does not answer." });
    } finally {
      await down.stop();
    }
  });
});
