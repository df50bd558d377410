import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@tessera/db/testing";
import { afterEach, describe, expect, it } from "vitest";
import { type ServerProcess, spawnServer } from "./testing/process.ts";

let server: ServerProcess | undefined;
let dataDir: string | undefined;
let database: TestDatabase | undefined;

afterEach(async () => {
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill("SIGKILL");
    await server.exited;
  }
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the real entry point with a fresh database of its own and resolves with its URL once it listens. */
async function startMain(env: Record<string, string> = {}): Promise<string> {
  dataDir = mkdtempSync(path.join(tmpdir(), "tessera-shutdown-"));
  database = await createTestDatabase(dataDir);
  server = await spawnServer({ DATA_DIR: dataDir, DATABASE_URL: database.url, BCRYPT_COST: "12", ...env });
  return server.url;
}

// Each case starts the real entry point (tsx) and bcrypt at cost 12: slow on a loaded 2-core machine.
describe("graceful shutdown", { timeout: 120_000 }, () => {
  it("finishes in-flight requests on SIGTERM, refuses new ones, and exits 0", async () => {
    const url = await startMain();
    const exited = server!.exited;
    // Registration with bcrypt cost 12 keeps a request in flight while the signal arrives.
    const inFlight = fetch(`${url}/api/register`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Connection: "close" },
      body: JSON.stringify({ username: "late", email: "late@example.com", password: "Sl0w-but-sure", full_name: "L", gender: "other" }),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    server!.child.kill("SIGTERM");
    const response = await inFlight;
    expect(response.status).toBe(201);
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it("cuts open subscriptions at once, still finishing in-flight requests, instead of waiting for the timeout", async () => {
    // Far longer than the test may take: exiting in time shows the stream was cut, not force-closed.
    const url = await startMain({ SHUTDOWN_TIMEOUT_MS: "60000" });
    const exited = server!.exited;
    const json = { "Content-Type": "application/json" };
    const user = { username: "watcher", email: "watcher@example.com", password: "Str0ng!Passw0rd", full_name: "W", gender: "other" };
    expect((await fetch(`${url}/api/register`, { method: "POST", headers: json, body: JSON.stringify(user) })).status).toBe(201);
    const login = await fetch(`${url}/api/token`, { method: "POST", headers: json, body: JSON.stringify(user) });
    const { access_token } = ((await login.json()) as { data: { access_token: string } }).data;

    const stream = await fetch(`${url}/trpc/tasks.onChange`, {
      headers: { Accept: "text/event-stream", Authorization: `Bearer ${access_token}` },
    });
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes("event: connected")) text += decoder.decode((await reader.read()).value);
    const streamEnded = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += decoder.decode(value);
      }
    })().catch(() => undefined); // a cut connection may end the body with an error: either way it ended

    const inFlight = fetch(`${url}/api/register`, {
      method: "POST",
      headers: { ...json, Connection: "close" },
      body: JSON.stringify({ ...user, username: "late", email: "late@example.com" }),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const signalled = Date.now();
    server!.child.kill("SIGTERM");
    await streamEnded;
    expect((await inFlight).status).toBe(201);
    expect(await exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    // Cut, not completed: without tRPC's "return" event the client's EventSource reconnects.
    expect(text).not.toContain("event: return");
  });
});
