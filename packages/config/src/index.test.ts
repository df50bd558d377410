import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./index.ts";

const freshDir = () => mkdtempSync(path.join(tmpdir(), "tessera-config-"));
const SECRET = "x".repeat(32);

describe("loadConfig", () => {
  it("applies defaults and puts the SQLite file in the data folder", () => {
    const dataDir = freshDir();
    const config = loadConfig({ DATA_DIR: dataDir }, freshDir());
    expect(config.env).toBe("dev");
    expect(config.port).toBe(3000);
    expect(config.bcryptCost).toBe(12);
    expect(config.databaseUrl).toBe(`file:${path.join(dataDir, "tessera.db")}`);
    expect(config.loginThrottle).toEqual({ maxPerAccount: 10, maxPerAddress: 50, windowSeconds: 900 });
    expect(config.registrationThrottle).toEqual({ maxPerAddress: 20, windowSeconds: 3600 });
    expect(config.quotas).toEqual({ keysPerUser: 1000, tasksPerUser: 10_000 });
    expect(config.sessionPurge).toEqual({ intervalSeconds: 600, maxRowsPerSweep: 10_000 });
    expect(config.liveStreams).toEqual({ perUser: 50, perConnection: 4, queue: 100 });
    expect(config.corsOrigins).toEqual([]);
    expect(loadConfig({ DATA_DIR: dataDir, CORS_ORIGINS: "https://a.example, http://localhost:5173" }, freshDir()).corsOrigins).toEqual([
      "https://a.example",
      "http://localhost:5173",
    ]);
  });

  it("reads .env.<ENV>, and real variables win over it", () => {
    const envDir = freshDir();
    writeFileSync(path.join(envDir, ".env.test"), "PORT=4100\nBCRYPT_COST=5\n");
    const config = loadConfig({ ENV: "test", BCRYPT_COST: "6", DATA_DIR: freshDir() }, envDir);
    expect(config.port).toBe(4100);
    expect(config.bcryptCost).toBe(6);
  });

  it("names the variable when a value is invalid", () => {
    for (const [name, value] of [["PORT", "http"], ["ENV", "staging"], ["BCRYPT_COST", "2"], ["DATABASE_URL", "mysql://x"], ["REDIS_URL", "localhost:6379"], ["DATABASE_POOL_MAX", "0"], ["CORS_ORIGINS", "*"], ["REGISTER_MAX_PER_ADDRESS", "0"], ["QUOTA_KEYS_PER_USER", "-1"], ["LIVE_STREAM_QUEUE", "x"], ["SESSION_PURGE_MAX_ROWS", "1.5"]]) {
      expect(() => loadConfig({ [name!]: value, DATA_DIR: freshDir() }, freshDir())).toThrow(
        expect.objectContaining({ name: "ConfigError", message: expect.stringContaining(name!) }),
      );
    }
  });

  it("refuses prod without a JWT_SECRET of 32 bytes or more", () => {
    expect(() => loadConfig({ ENV: "prod", WEBHOOK_SECRET: SECRET }, freshDir())).toThrow(ConfigError);
    expect(() => loadConfig({ ENV: "prod", JWT_SECRET: "short", WEBHOOK_SECRET: SECRET }, freshDir())).toThrow(/JWT_SECRET/);
    expect(loadConfig({ ENV: "prod", JWT_SECRET: SECRET, WEBHOOK_SECRET: SECRET }, freshDir()).jwtSecret).toBe(SECRET);
  });

  it("refuses prod without a WEBHOOK_SECRET of 32 bytes or more", () => {
    const webhook = "w".repeat(32);
    expect(() => loadConfig({ ENV: "prod", JWT_SECRET: SECRET }, freshDir())).toThrow(/WEBHOOK_SECRET is required/);
    expect(() => loadConfig({ ENV: "prod", JWT_SECRET: SECRET, WEBHOOK_SECRET: "short" }, freshDir())).toThrow(/WEBHOOK_SECRET/);
    expect(loadConfig({ ENV: "prod", JWT_SECRET: SECRET, WEBHOOK_SECRET: webhook }, freshDir()).webhookSecret).toBe(webhook);
  });

  it("stores images locally by default and refuses an unknown image storage", () => {
    expect(loadConfig({ DATA_DIR: freshDir() }, freshDir()).imageStorage).toBe("local");
    expect(() => loadConfig({ DATA_DIR: freshDir(), IMAGE_STORAGE: "ftp" }, freshDir())).toThrow(/IMAGE_STORAGE/);
  });

  it("generates a dev secret once and keeps it in the data folder", () => {
    const dataDir = freshDir();
    const first = loadConfig({ DATA_DIR: dataDir }, freshDir()).jwtSecret;
    expect(Buffer.byteLength(first)).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dataDir }, freshDir()).jwtSecret).toBe(first);
    expect(readFileSync(path.join(dataDir, "jwt-secret"), "utf8")).toBe(first);
  });

  it("generates a dev webhook secret once, apart from the JWT secret", () => {
    const dataDir = freshDir();
    const config = loadConfig({ DATA_DIR: dataDir }, freshDir());
    expect(Buffer.byteLength(config.webhookSecret)).toBeGreaterThanOrEqual(32);
    expect(config.webhookSecret).not.toBe(config.jwtSecret);
    expect(loadConfig({ DATA_DIR: dataDir }, freshDir()).webhookSecret).toBe(config.webhookSecret);
    expect(readFileSync(path.join(dataDir, "webhook-secret"), "utf8")).toBe(config.webhookSecret);
  });
});
