/**
 * What procedures count for operators: the server exports these as Prometheus counters (apps/server's metrics);
 * tests and CLIs use noMetrics. Calls are cheap and never fail.
 */
export interface DomainMetrics {
  login(outcome: "succeeded" | "failed" | "throttled"): void;
  registration(): void;
  /** A checkout's orders: placed (paid or awaiting the provider) or failed (declined). */
  order(outcome: "placed" | "failed", count?: number): void;
  /** A verified payment webhook event, by what became of it. */
  webhookEvent(outcome: "applied" | "ignored" | "duplicate"): void;
}

export const noMetrics: DomainMetrics = { login() {}, registration() {}, order() {}, webhookEvent() {} };
