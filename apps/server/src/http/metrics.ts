import type { DomainMetrics } from "@tessera/api";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

export interface MetricsSources {
  /** Event streams (tRPC subscriptions over SSE) open now. */
  openStreams(): number;
  /** The database pool's state (PostgreSQL), or undefined (SQLite). */
  poolStats(): { total: number; idle: number; waiting: number } | undefined;
}

export interface Metrics {
  registry: Registry;
  /** One answered request: its method, its route (a template or procedure path, never the raw URL), status, duration. */
  observe(method: string, route: string, statusCode: number, seconds: number): void;
  /** The counters procedures update (services.metrics). */
  domain: DomainMetrics;
}

/**
 * The server's Prometheus metrics (prom-client), in a registry of its own (tests run several servers in one
 * process): request durations by route, node's process metrics (memory, event-loop lag, GC), open streams, the
 * PostgreSQL pool, and the domain counters.
 */
export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const duration = new Histogram({
    name: "http_server_request_duration_seconds",
    help: "Duration of HTTP requests, from their arrival to their answer's end, by method, route and status.",
    labelNames: ["method", "route", "status_code"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  new Gauge({
    name: "tessera_sse_streams_open",
    help: "Event streams (tRPC subscriptions over SSE) open now.",
    registers,
    collect() {
      this.set(sources.openStreams());
    },
  });
  new Gauge({
    name: "tessera_db_pool_connections",
    help: "PostgreSQL pool: connections in use and idle, and requests waiting for one (absent on SQLite).",
    labelNames: ["state"] as const,
    registers,
    collect() {
      const stats = sources.poolStats();
      if (!stats) return;
      this.set({ state: "in_use" }, stats.total - stats.idle);
      this.set({ state: "idle" }, stats.idle);
      this.set({ state: "waiting" }, stats.waiting);
    },
  });
  const logins = new Counter({ name: "tessera_logins_total", help: "Login attempts by outcome.", labelNames: ["outcome"] as const, registers });
  const registrations = new Counter({ name: "tessera_registrations_total", help: "Accounts registered.", registers });
  const orders = new Counter({ name: "tessera_orders_total", help: "Orders by outcome at checkout.", labelNames: ["outcome"] as const, registers });
  const webhookEvents = new Counter({
    name: "tessera_payment_webhook_events_total",
    help: "Verified payment webhook events by what became of them.",
    labelNames: ["outcome"] as const,
    registers,
  });
  return {
    registry,
    observe: (method, route, statusCode, seconds) => duration.observe({ method, route, status_code: statusCode }, seconds),
    domain: {
      login: (outcome) => logins.inc({ outcome }),
      registration: () => registrations.inc(),
      order: (outcome, count = 1) => orders.inc({ outcome }, count),
      webhookEvent: (outcome) => webhookEvents.inc({ outcome }),
    },
  };
}
