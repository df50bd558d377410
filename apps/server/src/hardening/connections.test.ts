/**
 * Slow and idle clients do not hold connections for long, and the server takes no more connections than its cap
 * (HTTP_HEADERS_TIMEOUT_MS, HTTP_KEEP_ALIVE_TIMEOUT_MS, HTTP_MAX_CONNECTIONS): short settings here, so that each
 * case ends in seconds; the test waits for the server's own close, not for a clock.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/server.ts";

/** A raw TCP connection, with everything the server sends, and a promise of its end. */
async function open(url: string) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  let received = "";
  socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
  socket.on("error", () => {}); // a reset by the server is one of the outcomes under test
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  return { socket, closed, received: () => received };
}

describe("slow and idle clients", { timeout: 60_000 }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ HTTP_HEADERS_TIMEOUT_MS: "1000", HTTP_REQUEST_TIMEOUT_MS: "2000", HTTP_KEEP_ALIVE_TIMEOUT_MS: "500" });
  });
  afterAll(() => server.stop());

  it("closes a connection whose request headers do not arrive in time (408)", async () => {
    const client = await open(server.url);
    client.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n"); // and never the blank line that ends the headers
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it("closes a kept-alive connection that stays idle after its answer", async () => {
    const client = await open(server.url);
    client.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 200/);
    expect(client.received()).toMatch(/\r\nConnection: keep-alive\r\n/i);
  });
});

describe("the connection cap", { timeout: 60_000 }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ HTTP_MAX_CONNECTIONS: "4" });
  });
  afterAll(() => server.stop());

  it("takes no more connections than its cap, and takes new ones when some close", async () => {
    // Four connections held open mid-request (their headers unfinished): the cap is reached.
    const held = await Promise.all(Array.from({ length: 4 }, () => open(server.url)));
    for (const client of held) client.socket.write("GET /healthz HTTP/1.1\r\n");
    const refused = await open(server.url);
    refused.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    await refused.closed;
    expect(refused.received()).toBe("");
    for (const client of held) client.socket.destroy();
    await Promise.all(held.map((client) => client.closed));
    // The server counts the closed ones out: a new connection is answered again.
    await expect.poll(async () => (await fetch(`${server.url}/healthz`, { headers: { Connection: "close" } })).status, { timeout: 20_000 }).toBe(200);
  });
});
