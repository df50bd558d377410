import { createHash, createSecretKey, randomBytes } from "node:crypto";
import jwt from "jsonwebtoken";

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

export function createTokenService(options: { secret: string; accessTtlSeconds: number; refreshTtlSeconds: number }): TokenService {
  const { accessTtlSeconds, refreshTtlSeconds } = options;
  // A KeyObject, made once: given a string, jsonwebtoken first tries (and fails) to parse it as a PEM public
  // key on every call, which cost more than everything else in an authenticated request.
  const secret = createSecretKey(Buffer.from(options.secret, "utf8"));
  const hashRefreshToken = (token: string) => createHash("sha256").update(token).digest("hex");
  return {
    accessTtlSeconds,
    refreshTtlSeconds,
    signAccess: ({ userId, sessionId }) =>
      jwt.sign({ sid: sessionId, typ: "access" }, secret, { algorithm: ALGORITHM, subject: userId, expiresIn: accessTtlSeconds }),
    verifyAccess(token) {
      try {
        // The algorithm is pinned: a token that names another (or "none") is refused.
        const payload = jwt.verify(token, secret, { algorithms: [ALGORITHM] });
        if (typeof payload !== "object" || payload.typ !== "access") return null;
        if (typeof payload.sub !== "string" || typeof payload.sid !== "string") return null;
        return { userId: payload.sub, sessionId: payload.sid };
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
