import jwt from "jsonwebtoken";
import { describe, expect, it, vi } from "vitest";
import { createTokenService } from "./tokens.ts";

const secret = "s".repeat(40);
const tokens = createTokenService({ secret, accessTtlSeconds: 60, refreshTtlSeconds: 600 });
const claims = { userId: "user-1", sessionId: "session-1" };

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("access tokens", () => {
  it("round-trips the user and session ids", () => {
    expect(tokens.verifyAccess(tokens.signAccess(claims))).toEqual(claims);
  });

  it("refuses alg none, another secret, another algorithm, tampering and expiry", () => {
    const payload = { sub: claims.userId, sid: claims.sessionId, typ: "access", exp: Math.floor(Date.now() / 1000) + 60 };
    const refused = [
      `${base64url({ alg: "none", typ: "JWT" })}.${base64url(payload)}.`,
      jwt.sign(payload, "another-secret-another-secret-1234"),
      jwt.sign(payload, secret, { algorithm: "HS512" }),
      jwt.sign({ ...payload, exp: Math.floor(Date.now() / 1000) - 10 }, secret),
      jwt.sign({ ...payload, typ: "refresh" }, secret),
      (() => {
        const [header, , signature] = tokens.signAccess(claims).split(".");
        return `${header}.${base64url({ ...payload, sub: "someone-else" })}.${signature}`;
      })(),
      "not-a-jwt",
    ];
    for (const token of refused) expect(tokens.verifyAccess(token)).toBeNull();
  });

  it("gives every token its own id (jti): the same claims signed in the same second are two different tokens", () => {
    vi.useFakeTimers({ now: Date.UTC(2030, 0, 1, 12) });
    try {
      const [a, b] = [tokens.signAccess(claims), tokens.signAccess(claims)];
      const [da, db] = [a, b].map((token) => jwt.decode(token) as { iat: number; jti?: string });
      expect(da!.iat).toBe(db!.iat);
      expect(a).not.toBe(b);
      expect(da!.jti).toMatch(/^[0-9a-f-]{36}$/);
      expect(da!.jti).not.toBe(db!.jti);
      expect([tokens.verifyAccess(a), tokens.verifyAccess(b)]).toEqual([claims, claims]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("still accepts an unexpired token signed before tokens carried a jti", () => {
    const legacy = jwt.sign({ sid: claims.sessionId, typ: "access" }, secret, { algorithm: "HS256", subject: claims.userId, expiresIn: 60 });
    expect(tokens.verifyAccess(legacy)).toEqual(claims);
  });

  it("refuses a token it has accepted before once it expires", () => {
    const shortLived = createTokenService({ secret, accessTtlSeconds: 1, refreshTtlSeconds: 600 });
    const token = shortLived.signAccess(claims);
    expect(shortLived.verifyAccess(token)).toEqual(claims);
    const exp = (jwt.decode(token) as { exp: number }).exp;
    vi.useFakeTimers({ now: exp * 1000 });
    try {
      expect(shortLived.verifyAccess(token)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("refresh tokens", () => {
  it("are random, and only their hash is kept", () => {
    const a = tokens.newRefreshToken();
    const b = tokens.newRefreshToken();
    expect(a.token).not.toBe(b.token);
    expect(a.hash).not.toContain(a.token);
    expect(tokens.hashRefreshToken(a.token)).toBe(a.hash);
    expect(a.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });
});

describe("the verified-token cache", () => {
  it("remembers at most maxCached tokens, the least recently used going first", () => {
    const bounded = createTokenService({ secret, accessTtlSeconds: 60, refreshTtlSeconds: 600, maxCached: 2 });
    const [a, b, c] = ["s-a", "s-b", "s-c"].map((sessionId) => bounded.signAccess({ userId: "u", sessionId }));
    const verify = vi.spyOn(jwt, "verify");
    try {
      for (const token of [a, b, a, c]) bounded.verifyAccess(token!); // c pushes out b, used least recently
      expect(verify).toHaveBeenCalledTimes(3);
      bounded.verifyAccess(a!);
      bounded.verifyAccess(c!);
      expect(verify).toHaveBeenCalledTimes(3); // both still known
      bounded.verifyAccess(b!);
      expect(verify).toHaveBeenCalledTimes(4); // b was forgotten: checked again
    } finally {
      verify.mockRestore();
    }
  });
});
