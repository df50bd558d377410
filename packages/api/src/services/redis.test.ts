/** The Redis connections: readiness, key prefixing, shutdown. Needs Redis (REDIS_URL or 127.0.0.1:6379). */
import { afterEach, describe, expect, it } from "vitest";
import { closeAll, closedPort, connections, randomPrefix, rawClient } from "../testing/index.ts";

afterEach(() => closeAll());

describe("Redis connections", () => {
  it("are ready when Redis answers (it must: these tests fail rather than skip without Redis)", async () => {
    const redis = connections(randomPrefix());
    await expect(redis.ready()).resolves.toBeUndefined();
    expect(redis.commands.status).toBe("ready");
    expect(redis.subscriber.status).toBe("ready");
  });

  it("put the prefix in front of keys", async () => {
    const prefix = randomPrefix();
    const redis = connections(prefix);
    await redis.commands.set("probe", "1", "EX", 60);
    const raw = rawClient();
    try {
      expect(await raw.get(`${prefix}probe`)).toBe("1");
      expect(await raw.get("probe")).toBeNull();
    } finally {
      raw.disconnect();
    }
  });

  it("are not ready, quickly, when Redis cannot be reached", async () => {
    const redis = connections(randomPrefix(), `redis://127.0.0.1:${await closedPort()}`, { connectTimeoutMs: 200, readyTimeoutMs: 500 });
    const started = Date.now();
    await expect(redis.ready()).rejects.toThrow();
    // A later check fails fast too: while reconnecting it does not wait for the next attempt.
    await expect(redis.ready()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("stop becoming ready after quit()", async () => {
    const redis = connections(randomPrefix());
    await redis.ready();
    await redis.quit();
    expect(redis.commands.status).toBe("end");
    expect(redis.subscriber.status).toBe("end");
    await expect(redis.ready()).rejects.toThrow(/end/);
    await redis.quit(); // twice is harmless
  });
});
