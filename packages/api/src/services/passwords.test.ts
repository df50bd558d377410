import { describe, expect, it } from "vitest";
import { AppError } from "../envelope.ts";
import { createPasswordHasher } from "./passwords.ts";

describe("password hasher", () => {
  it("never matches a password over 72 bytes, even when its first 72 bytes are the password", async () => {
    const hasher = createPasswordHasher(4);
    const password = `Aa1!${"p".repeat(68)}`;
    const hash = await hasher.hash(password);
    expect(await hasher.verify(password, hash)).toBe(true);
    expect(await hasher.verify(`${password}!`, hash)).toBe(false);
    expect(await hasher.verify(`${password}${"é".repeat(40)}`, hash)).toBe(false);
    expect(await hasher.verify(password, null)).toBe(false);
  });

  it("runs waiting logins before waiting new passwords", async () => {
    const hasher = createPasswordHasher(6, { concurrency: 1 });
    const hash = await hasher.hash("Corr3ct-horse");
    const order: string[] = [];
    const work = [
      ...Array.from({ length: 5 }, (_, i) => hasher.hash(`New-passw0rd${i}`).then(() => order.push(`hash${i}`))),
      hasher.verify("Corr3ct-horse", hash).then(() => order.push("login")),
    ];
    await Promise.all(work);
    // hash0 was already running when the login arrived; the login went before the four still waiting.
    expect(order).toEqual(["hash0", "login", "hash1", "hash2", "hash3", "hash4"]);
  });

  it("refuses work past its waiting bound with 503 NOT_READY instead of queueing without end", async () => {
    const hasher = createPasswordHasher(4, { concurrency: 1, maxWaiting: 3 });
    const accepted = Array.from({ length: 4 }, (_, i) => hasher.hash(`New-passw0rd${i}`)); // 1 running, 3 waiting
    expect(hasher.load()).toEqual({ running: 1, waiting: 3 });
    const refused = await hasher.hash("One-too-many1").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ appCode: "NOT_READY", retryAfter: 1 });
    await Promise.all(accepted);
    expect(hasher.load()).toEqual({ running: 0, waiting: 0 });
  });
});
