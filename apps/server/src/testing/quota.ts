import { expect } from "vitest";
import type { Reply } from "./http.ts";

/**
 * 409 QUOTA_EXCEEDED (issue 16: per-user limits), whose `details` name the resource that is full. A helper of its
 * own: http.ts's expectError does not list this code among those with details yet.
 */
export function expectQuotaExceeded(reply: Reply, resource: string): void {
  expect({ status: reply.status, code: reply.body?.code }, reply.text.slice(0, 500)).toEqual({ status: 409, code: "QUOTA_EXCEEDED" });
  expect(reply.headers.get("content-type")).toMatch(/^application\/json\b/);
  expect(Object.keys(reply.body).sort()).toEqual(["code", "details", "message", "status"]);
  expect(reply.body.status).toBe("error");
  expect(reply.body.message).toMatch(/\S/);
  expect(reply.body.details).toEqual([{ path: resource, message: expect.stringMatching(/\S/) }]);
}
