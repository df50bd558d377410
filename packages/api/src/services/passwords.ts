import bcrypt from "bcrypt";

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /**
   * Compares against `hash`, or against a fixed dummy hash of the same cost when there is no
   * user, so that an unknown user and a wrong password take the same time.
   */
  verify(password: string, hash: string | null): Promise<boolean>;
}

export function createPasswordHasher(cost: number): PasswordHasher {
  // bcrypt's async API runs on libuv's thread pool, off the event loop.
  let dummyHash: Promise<string> | undefined;
  const dummy = () => (dummyHash ??= bcrypt.hash("tessera-dummy-password", cost));
  return {
    hash: (password) => bcrypt.hash(password, cost),
    async verify(password, hash) {
      const matches = await bcrypt.compare(password, hash ?? (await dummy()));
      return hash !== null && matches;
    },
  };
}
