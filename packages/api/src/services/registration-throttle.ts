import { addressGroup } from "./address-group.ts";
import { type CounterFactory, memoryCounters } from "./attempt-counters.ts";

export interface RegistrationLimits {
  maxPerAddress: number;
  windowSeconds: number;
}

export interface RegistrationThrottle {
  /**
   * Counts a registration attempt from the client address (by group: IPv6 by /64), before anything is checked
   * against the database or hashed; `{ retryAfter }` seconds when the address has used its budget. Every attempt
   * counts, accepted or not: a taken name tells as much as a new account.
   */
  begin(address: string): Promise<{ retryAfter: number } | null>;
  size(): number;
}

export function createRegistrationThrottle(limits: RegistrationLimits, counters: CounterFactory = memoryCounters()): RegistrationThrottle {
  const byAddress = counters({ keyPrefix: "register-address", windowSeconds: limits.windowSeconds });
  return {
    async begin(address) {
      const taken = await byAddress.take(addressGroup(address));
      if (taken.count <= limits.maxPerAddress) return null;
      // A refused attempt did nothing, so it does not push the address further past its limit.
      await taken.giveBack();
      return { retryAfter: Math.max(1, Math.ceil(taken.msBeforeReset / 1000)) };
    },
    size: () => byAddress.size(),
  };
}
