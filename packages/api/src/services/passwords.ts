import { availableParallelism } from "node:os";
import bcrypt from "bcrypt";
import pLimit from "p-limit";

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /**
   * Compares against `hash`, or against a fixed dummy hash of the same cost when there is no
   * user, so that an unknown user and a wrong password take the same time.
   */
  verify(password: string, hash: string | null): Promise<boolean>;
}

/**
 * How many hashes run at once: one core fewer than the machine has (at least one). bcrypt's async API runs on
 * libuv's thread pool (4 threads), off the event loop; but four hashes at once on a 2-core machine would take
 * every core from it, and every other request would wait behind a burst of logins. Extra logins queue instead.
 */
const HASHES_AT_ONCE = Math.max(1, availableParallelism() - 1);

export function createPasswordHasher(cost: number): PasswordHasher {
  const limit = pLimit(HASHES_AT_ONCE);
  let dummyHash: Promise<string> | undefined;
  const dummy = () => (dummyHash ??= limit(() => bcrypt.hash("tessera-dummy-password", cost)));
  return {
    hash: (password) => limit(() => bcrypt.hash(password, cost)),
    async verify(password, hash) {
      const against = hash ?? (await dummy());
      const matches = await limit(() => bcrypt.compare(password, against));
      return hash !== null && matches;
    },
  };
}
