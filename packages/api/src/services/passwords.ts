import { availableParallelism } from "node:os";
import bcrypt from "bcrypt";
import PQueue from "p-queue";
import { AppError } from "../envelope.ts";

/** bcrypt reads only the first 72 bytes of a password: longer ones are refused, never truncated. */
export const MAX_PASSWORD_BYTES = 72;

export interface PasswordHasher {
  /** A hash for a new password (registration, the superuser command); waits behind logins. */
  hash(password: string): Promise<string>;
  /**
   * Compares against `hash`, or against a fixed dummy hash of the same cost when there is no user, so that an
   * unknown user and a wrong password take the same time. A password over 72 bytes never matches (bcrypt would
   * compare its first 72 bytes only) and costs the same comparison.
   */
  verify(password: string, hash: string | null): Promise<boolean>;
  /** Hashes running and waiting: for tests and metrics. */
  load(): { running: number; waiting: number };
}

/**
 * How many hashes run at once: one core fewer than the machine has (at least one). bcrypt's async API runs on
 * libuv's thread pool (4 threads), off the event loop; but four hashes at once on a 2-core machine would take
 * every core from it, and every other request would wait behind a burst of logins. Extra work queues instead.
 */
const HASHES_AT_ONCE = Math.max(1, availableParallelism() - 1);

/**
 * The most hashes that may wait. Past it the server is overloaded (the login and registration throttles bound
 * each client, so only very many clients at once get here): refusing at once, 503 with Retry-After, beats
 * queueing work nobody will wait for. Each waiting entry is small (passwords are at most 72 bytes here).
 */
export const MAX_WAITING = 1000;

/** Logins go before registrations: a burst of sign-ups must not keep existing users out (they share the cores). */
const LOGIN = 1;
const NEW_PASSWORD = 0;

export function createPasswordHasher(cost: number, options: { concurrency?: number; maxWaiting?: number } = {}): PasswordHasher {
  const queue = new PQueue({ concurrency: options.concurrency ?? HASHES_AT_ONCE });
  const maxWaiting = options.maxWaiting ?? MAX_WAITING;
  const run = <T>(priority: number, work: () => Promise<T>): Promise<T> => {
    if (queue.size >= maxWaiting) {
      return Promise.reject(new AppError("NOT_READY", "The server is busy. Try again in a moment.", { retryAfter: 1 }));
    }
    return queue.add(work, { priority });
  };
  let dummyHash: Promise<string> | undefined;
  const dummy = () => (dummyHash ??= run(LOGIN, () => bcrypt.hash("tessera-dummy-password", cost)));
  return {
    hash: (password) => run(NEW_PASSWORD, () => bcrypt.hash(password, cost)),
    async verify(password, hash) {
      const tooLong = Buffer.byteLength(password, "utf8") > MAX_PASSWORD_BYTES;
      const against = hash !== null && !tooLong ? hash : await dummy();
      const matches = await run(LOGIN, () => bcrypt.compare(tooLong ? "tessera-not-a-password" : password, against));
      return hash !== null && !tooLong && matches;
    },
    load: () => ({ running: queue.pending, waiting: queue.size }),
  };
}
