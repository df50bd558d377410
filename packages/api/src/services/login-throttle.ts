import { addressGroup } from "./address-group.ts";
import { type CounterFactory, memoryCounters, type Taken } from "./attempt-counters.ts";

export interface ThrottleLimits {
  maxPerAccount: number;
  maxPerAddress: number;
  windowSeconds: number;
}

/** An attempt the throttle let through. It counts as a failure until its window ends, unless it is given back. */
export interface LoginAttempt {
  /** It was not a failure (the password matched, or it could not be checked): it no longer counts. */
  giveBack(): Promise<void>;
}

export interface LoginThrottle {
  /**
   * Counts an attempt against the account and the client address *before* the password is checked, or refuses
   * it: `{ retryAfter }` seconds when either limit is reached. A refused attempt is not counted (it checked
   * nothing). Every call counts, so the calls of one tRPC batch count one by one like separate requests.
   */
  begin(account: string, address: string): Promise<LoginAttempt | { retryAfter: number }>;
  /** Keys held in this process's memory, per counter: for tests and metrics (bounded, see attempt-counters.ts). */
  sizes(): { accounts: number; addresses: number };
}

const secondsOf = (taken: Taken) => Math.max(1, Math.ceil(taken.msBeforeReset / 1000));

/**
 * the contract's RATE_LIMITED rules for logins: "after N failed attempts for one username [or from one client address]
 * within the window, further attempts are refused (even with the right password)".
 *
 * The rule counts *failed* attempts, so an attempt takes its place in both counts before its password is checked,
 * atomically (concurrent attempts each see the ones before them: at most `max` run however many arrive at once),
 * and a success gives its place back; a failure keeps it. While attempts are in flight they hold their places,
 * so the (max+1)th concurrent attempt is refused even if some of those in flight will succeed: the safe side.
 * Addresses are counted by group (IPv6 by /64, see address-group.ts).
 */
export function createLoginThrottle(limits: ThrottleLimits, counters: CounterFactory = memoryCounters()): LoginThrottle {
  const byAccount = counters({ keyPrefix: "login-account", windowSeconds: limits.windowSeconds });
  const byAddress = counters({ keyPrefix: "login-address", windowSeconds: limits.windowSeconds });

  return {
    async begin(account, address) {
      const [forAccount, forAddress] = await Promise.all([byAccount.take(account), byAddress.take(addressGroup(address))]);
      const over = [
        ...(forAccount.count > limits.maxPerAccount ? [forAccount] : []),
        ...(forAddress.count > limits.maxPerAddress ? [forAddress] : []),
      ];
      const giveBack = () => Promise.all([forAccount.giveBack(), forAddress.giveBack()]).then(() => undefined);
      if (over.length > 0) {
        await giveBack();
        return { retryAfter: Math.max(...over.map(secondsOf)) };
      }
      return { giveBack };
    },
    sizes: () => ({ accounts: byAccount.size(), addresses: byAddress.size() }),
  };
}
