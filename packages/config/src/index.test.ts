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

  it("lists every invalid or missing setting at once, one line each", () => {
    const error = (() => {
      try {
        loadConfig({ ENV: "prod", PORT: "http", BCRYPT_COST: "2", JWT_SECRET: "short", DATA_DIR: freshDir() }, freshDir());
      } catch (caught) {
        return caught as Error;
      }
      throw new Error("expected a ConfigError");
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const lines = error.message.split("\n");
    expect(lines[0]).toBe("Invalid configuration:");
    for (const name of ["PORT", "BCRYPT_COST", "JWT_SECRET must be at least", "WEBHOOK_SECRET is required"]) {
      expect(lines.filter((line) => line.startsWith("  - ") && line.includes(name))).toHaveLength(1);
    }
  });

  it("refuses prod without a JWT_SECRET of 32 bytes or more", () => {
    expect(() => loadConfig({ ENV: "prod", WEBHOOK_SECRET: SECRET }, freshDir())).toThrow(ConfigError);
    expect(() => loadConfig({ ENV: "prod", JWT_SECRET: "short", WEBHOOK_SECRET: SECRET }, freshDir())).toThrow(/JWT_SECRET/);
    expect(loadConfig({ ENV: "prod", JWT_SECRET: SECRET, WEBHOOK_SECRET: SECRET, PAYMENT_PROVIDER: "simulator" }, freshDir()).jwtSecret).toBe(SECRET);
  });

  it("refuses prod without a WEBHOOK_SECRET of 32 bytes or more", () => {
    const webhook = "w".repeat(32);
    expect(() => loadConfig({ ENV: "prod", JWT_SECRET: SECRET }, freshDir())).toThrow(/WEBHOOK_SECRET is required/);
    expect(() => loadConfig({ ENV: "prod", JWT_SECRET: SECRET, WEBHOOK_SECRET: "short" }, freshDir())).toThrow(/WEBHOOK_SECRET/);
    expect(loadConfig({ ENV: "prod", JWT_SECRET: SECRET, WEBHOOK_SECRET: webhook, PAYMENT_PROVIDER: "simulator" }, freshDir()).webhookSecret).toBe(webhook);
  });

  it("refuses prod without an explicit PAYMENT_PROVIDER, and defaults to the simulator elsewhere", () => {
    const prod = { ENV: "prod", JWT_SECRET: SECRET, WEBHOOK_SECRET: SECRET };
    expect(() => loadConfig(prod, freshDir())).toThrow(/PAYMENT_PROVIDER is required in prod/);
    expect(() => loadConfig({ ...prod, PAYMENT_PROVIDER: "stripe" }, freshDir())).toThrow(/PAYMENT_PROVIDER/);
    expect(loadConfig({ ...prod, PAYMENT_PROVIDER: "simulator" }, freshDir()).payments.provider).toBe("simulator");
    expect(loadConfig({ DATA_DIR: freshDir() }, freshDir()).payments).toEqual({ provider: "simulator", settleDeadlineSeconds: 30, reconcileIntervalSeconds: 30, simulatorLatencyMs: 0 });
  });

  it("reads the marketplace limits, with their defaults", () => {
    expect(loadConfig({ DATA_DIR: freshDir() }, freshDir()).market).toEqual({
      searchScanRows: 1000, searchScanBytes: 256 * 1024, cartMaxLines: 90, sellerMaxProducts: 1000,
    });
    const set = loadConfig({ DATA_DIR: freshDir(), CART_MAX_LINES: "7", SELLER_MAX_PRODUCTS: "9", CATALOG_SEARCH_SCAN_ROWS: "50", CATALOG_SEARCH_SCAN_BYTES: "4096" }, freshDir());
    expect(set.market).toEqual({ searchScanRows: 50, searchScanBytes: 4096, cartMaxLines: 7, sellerMaxProducts: 9 });
    for (const [name, value] of [["CART_MAX_LINES", "0"], ["SELLER_MAX_PRODUCTS", "x"], ["CATALOG_SEARCH_SCAN_BYTES", "10"], ["CHECKOUT_SETTLE_DEADLINE_SECONDS", "0"]]) {
      expect(() => loadConfig({ [name!]: value, DATA_DIR: freshDir() }, freshDir())).toThrow(new RegExp(name!));
    }
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
