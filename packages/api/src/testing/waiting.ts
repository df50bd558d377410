/** Waiting in tests without sleeping blindly: poll until something holds, or give a promise a deadline. */

/** Polls `check` until it holds, failing after `ms` with `what` in the message. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 2000, what = "condition"): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `promise`, or a failure with `message` after `ms`: a missing event fails the test instead of hanging it. */
export async function within<T>(promise: Promise<T>, ms: number, message = `nothing within ${ms} ms`): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
