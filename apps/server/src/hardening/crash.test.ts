/**
 * Crash safety of the real entry point (src/main.ts in its own process), on the database the environment
 * names (SQLite by default; PostgreSQL in CI's second run, through createTestDatabase): several clients write
 * concurrently (data creates and updates, task creates); the server is killed mid-load (SIGKILL, then in a
 * second case SIGTERM); it restarts on the same database and JWT secret; every write that was answered with a
 * 2xx must be there with the value it was acknowledged with. A write that got no answer may or may not be.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sleep } from "../testing/http.ts";
import { randomBytes } from "node:crypto";
import { processEnvironment, type ProcessEnvironment } from "../testing/process.ts";
import { account } from "../testing/accounts.ts";

const CLIENTS = 6;
// The signal comes once this many writes were answered (not after a fixed time: on a busy machine a fixed
// time can pass with too few writes for the check to mean anything), and at least MIN_LOAD_MS into the load.
const ANSWERS_BEFORE_SIGNAL = 90;
const MIN_LOAD_MS = 500;

let processes: ProcessEnvironment;

beforeEach(async () => {
  processes = await processEnvironment();
});
afterEach(() => processes.dispose());

const start = () => processes.start();

const post = async (url: string, token: string | undefined, method: string, route: string, body?: unknown) => {
  const res = await fetch(`${url}${route}`, {
    method,
    headers: { "content-type": "application/json", ...(token && { authorization: `Bearer ${token}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
};

interface Ledger {
  /** key -> the values it may hold: the last acknowledged one, plus the one written without an answer. */
  data: Map<string, { acked: string; pending?: string; token: string }>;
  tasks: { id: string; title: string; description: string; token: string }[];
  answers: { status: number; at: number }[];
  unanswered: number;
}

/** One client: data creates, updates of its own keys, and task creates, one at a time, until the server is gone. */
async function client(url: string, token: string, n: number, ledger: Ledger): Promise<void> {
  const own: string[] = [];
  for (let i = 0; ; i++) {
    const value = `v${n}-${i}-${randomBytes(6).toString("hex")}`;
    const kind = i % 3;
    const key = kind === 1 && own.length > 0 ? own[i % own.length]! : `c${n}/k${i} ${"é".repeat(i % 4)}`;
    try {
      if (kind === 2) {
        const title = `task ${n}-${i}`;
        const reply = await post(url, token, "POST", "/api/tasks", { title, description: value });
        ledger.answers.push({ status: reply.status, at: Date.now() });
        if (reply.status === 201) ledger.tasks.push({ id: reply.body.data.id, title, description: value, token });
      } else if (kind === 1 && own.length > 0) {
        const entry = ledger.data.get(key)!;
        entry.pending = value;
        const reply = await post(url, token, "PUT", `/api/data/${encodeURIComponent(key)}`, { value });
        ledger.answers.push({ status: reply.status, at: Date.now() });
        if (reply.status === 200) ledger.data.set(key, { acked: value, token });
      } else {
        ledger.data.set(key, { acked: "", pending: value, token }); // "" = may be absent: not acknowledged yet
        const reply = await post(url, token, "POST", "/api/data", { key, value });
        ledger.answers.push({ status: reply.status, at: Date.now() });
        if (reply.status === 201) {
          ledger.data.set(key, { acked: value, token });
          own.push(key);
        }
      }
    } catch {
      ledger.unanswered++;
      return; // the server is gone: this client's last write may or may not have landed
    }
  }
}

/** Reads every write back from the restarted server; returns how many acknowledged writes were checked. */
async function verify(url: string, ledger: Ledger): Promise<number> {
  let verified = 0;
  for (const [key, { acked, pending, token }] of ledger.data) {
    const reply = await post(url, token, "GET", `/api/data/${encodeURIComponent(key)}`);
    if (acked === "") {
      // Never acknowledged: absent, or present with the value that was sent.
      if (reply.status === 200) expect(reply.body.data.value).toBe(pending);
      else expect(reply.body.code).toBe("KEY_NOT_FOUND");
      continue;
    }
    expect(reply.status, `${key}: ${JSON.stringify(reply.body)}`).toBe(200);
    expect([acked, pending], key).toContain(reply.body.data.value);
    verified++;
  }
  for (const task of ledger.tasks) {
    const reply = await post(url, task.token, "GET", `/api/tasks/${task.id}`);
    expect(reply.status, task.id).toBe(200);
    expect({ title: reply.body.data.title, description: reply.body.data.description }).toEqual({ title: task.title, description: task.description });
    verified++;
  }
  return verified;
}

async function underLoad(signal: "SIGKILL" | "SIGTERM") {
  const first = await start();
  const tokens = await Promise.all(Array.from({ length: CLIENTS }, () => account(first.url, { prefix: "crash" }).then((user) => user.token)));
  const ledger: Ledger = { data: new Map(), tasks: [], answers: [], unanswered: 0 };
  const clients = tokens.map((token, n) => client(first.url, token, n, ledger));
  await sleep(MIN_LOAD_MS);
  while (ledger.answers.length < ANSWERS_BEFORE_SIGNAL) await sleep(10);
  const signalledAt = Date.now();
  first.child.kill(signal);
  const exitCode = await first.exited;
  const exitedAt = Date.now();
  await Promise.all(clients);

  const second = await start(); // same database, same JWT secret: the clients' tokens still work
  const verified = await verify(second.url, ledger);
  const acknowledged = ledger.answers.filter((a) => a.status < 300).length;
  console.log(`[crash ${signal}] ${ledger.answers.filter((x) => x.at >= signalledAt).length} answered after the signal, exit after ${exitedAt - signalledAt} ms; ${acknowledged} writes acknowledged, ${verified} verified after restart, ${ledger.unanswered} unanswered`);
  return { exitCode, ledger, verified, signalledAt, second };
}

describe(`crash safety (${process.env.DATABASE_URL?.startsWith("postgres") ? "PostgreSQL" : "SQLite"})`, { timeout: 120_000 }, () => {
  it("keeps every acknowledged write through SIGKILL mid-load", async () => {
    const { exitCode, ledger, verified } = await underLoad("SIGKILL");
    expect(exitCode).toBeNull(); // killed, not exited
    expect(ledger.answers.every((a) => a.status < 300), JSON.stringify(ledger.answers.filter((a) => a.status >= 300))).toBe(true);
    expect(verified).toBeGreaterThan(30);
    expect(ledger.unanswered).toBeGreaterThan(0); // the kill really came mid-load
  });

  it("on SIGTERM finishes in-flight writes, refuses new connections, exits 0, and keeps every acknowledged write", async () => {
    const { exitCode, ledger, verified, signalledAt } = await underLoad("SIGTERM");
    expect(exitCode).toBe(0);
    // Every answer, including those to requests in flight when the signal came, is a success.
    expect(ledger.answers.every((a) => a.status < 300), JSON.stringify(ledger.answers.filter((a) => a.status >= 300))).toBe(true);
    expect(ledger.answers.filter((a) => a.at >= signalledAt).length).toBeGreaterThan(0);
    expect(verified).toBeGreaterThan(30);
    await expect(fetch(`${processes.servers[0]!.url}/healthz`)).rejects.toThrow();
  });
});
