import { createHash, createSecretKey, randomBytes, randomUUID } from "node:crypto";
import jwt from "jsonwebtoken";
import { LRUCache } from "lru-cache";

export interface AccessClaims {
  userId: string;
  sessionId: string;
}

export interface TokenService {
  readonly accessTtlSeconds: number;
  readonly refreshTtlSeconds: number;
  signAccess(claims: AccessClaims): string;
  /** The claims of a valid access token, or null for anything else. */
  verifyAccess(token: string): AccessClaims | null;
  newRefreshToken(): { token: string; hash: string; expiresAt: Date };
  hashRefreshToken(token: string): string;
}

const ALGORITHM = "HS256";
/** Verified tokens kept: ~3 MB at most (a token is ~250 bytes: only tokens this service signed get in). */
const MAX_VERIFIED = 10_000;

export function createTokenService(options: {
  secret: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  /** How many verified tokens to remember (the least recently used go first); for tests of the bound. */
  maxCached?: number;
}): TokenService {
  const { accessTtlSeconds, refreshTtlSeconds } = options;
  // A KeyObject, made once: given a string, jsonwebtoken first tries (and fails) to parse it as a PEM public
  // key on every call, which cost more than everything else in an authenticated request.
  const secret = createSecretKey(Buffer.from(options.secret, "utf8"));
  const hashRefreshToken = (token: string) => createHash("sha256").update(token).digest("hex");
  // Tokens whose signature was checked, with their claims: a client sends the same token with request after
  // request, and each call of a tRPC batch checks it again. Only the expiry is checked again on a hit; whether
  // the session still stands is authentication's next question, asked every time.
  const verified = new LRUCache<string, { claims: AccessClaims; exp: number }>({ max: options.maxCached ?? MAX_VERIFIED });
  return {
    accessTtlSeconds,
    refreshTtlSeconds,
    // `jti`: every access token is unique, so a refresh within the same second (same session, same claims otherwise)
    // still answers a new pair, never the token it replaces. Not required on verification: tokens signed before it
    // existed stay valid until they expire.
    signAccess: ({ userId, sessionId }) =>
      jwt.sign({ sid: sessionId, typ: "access" }, secret, {
        algorithm: ALGORITHM, subject: userId, expiresIn: accessTtlSeconds, jwtid: randomUUID(),
      }),
    verifyAccess(token) {
      const known = verified.get(token);
      // jsonwebtoken's own rule: valid while the current whole second is before `exp`.
      if (known) return Math.floor(Date.now() / 1000) < known.exp ? known.claims : null;
      try {
        // The algorithm is pinned: a token that names another (or "none") is refused.
        const payload = jwt.verify(token, secret, { algorithms: [ALGORITHM] });
        if (typeof payload !== "object" || payload.typ !== "access") return null;
        if (typeof payload.sub !== "string" || typeof payload.sid !== "string" || typeof payload.exp !== "number") return null;
        const claims = { userId: payload.sub, sessionId: payload.sid };
        verified.set(token, { claims, exp: payload.exp });
        return claims;
      } catch {
        return null;
      }
    },
    newRefreshToken() {
      const token = randomBytes(32).toString("base64url");
      return { token, hash: hashRefreshToken(token), expiresAt: new Date(Date.now() + refreshTtlSeconds * 1000) };
    },
    hashRefreshToken,
  };
}
