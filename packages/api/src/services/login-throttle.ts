import { RateLimiterMemory, type RateLimiterAbstract } from "rate-limiter-flexible";

export interface ThrottleLimits {
  maxPerAccount: number;
  maxPerAddress: number;
  windowSeconds: number;
}

/** Builds a counter store; the default keeps counts in this process, a Redis store can share them. */
export type LimiterFactory = (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

export const memoryLimiters: LimiterFactory = (options) => new RateLimiterMemory(options);

export interface LoginThrottle {
  /** Seconds until attempts are allowed again for this account or address; 0 when allowed now. */
  blockedFor(account: string, address: string): Promise<number>;
  recordFailure(account: string, address: string): Promise<void>;
  recordSuccess(account: string): Promise<void>;
}

/** Counts failed logins per account and per client address (API.md's RATE_LIMITED rules). */
export function createLoginThrottle(limits: ThrottleLimits, createLimiter: LimiterFactory = memoryLimiters): LoginThrottle {
  const byAccount = createLimiter({ keyPrefix: "login-account", points: limits.maxPerAccount, duration: limits.windowSeconds });
  const byAddress = createLimiter({ keyPrefix: "login-address", points: limits.maxPerAddress, duration: limits.windowSeconds });

  const waitSeconds = async (limiter: RateLimiterAbstract, key: string) => {
    const state = await limiter.get(key);
    if (!state || state.consumedPoints < limiter.points) return 0;
    return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  };
  const consume = (limiter: RateLimiterAbstract, key: string) =>
    // Rejects once over the limit, which only means the key is (still) blocked.
    limiter.consume(key).then(() => undefined, (rejection: unknown) => {
      if (rejection instanceof Error) throw rejection;
    });

  return {
    async blockedFor(account, address) {
      const [accountWait, addressWait] = await Promise.all([waitSeconds(byAccount, account), waitSeconds(byAddress, address)]);
      return Math.max(accountWait, addressWait);
    },
    async recordFailure(account, address) {
      await Promise.all([consume(byAccount, account), consume(byAddress, address)]);
    },
    async recordSuccess(account) {
      await byAccount.delete(account);
    },
  };
}
