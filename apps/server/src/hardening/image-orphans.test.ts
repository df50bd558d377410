/**
 * No orphaned image bytes (issue 18), through the real server, on both storage drivers and the database the
 * environment names:
 * - the server process is SIGKILLed after an upload's bytes are stored and before its row commits (the test holds
 *   the product's row lock, so the upload waits right there): the bytes have no row; the restarted server's sweep
 *   removes them, and only them;
 * - it is SIGKILLed while an upload is still arriving: the partial file (local) or spool file (S3) is discarded;
 * - the storage fails when an image or a seller is deleted (S3: the S3 server process is down; local: a failing
 *   driver): the deletion still answers 200, and the bytes go once the storage is back.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLocalImageStorage, createSuperuser, type ImageStorage } from "@tessera/api";
import { type S3TestServer, startS3TestServer } from "@tessera/api/testing";
import { createDatabase, type Database } from "@tessera/db";
import { createTestDatabase, type TestDatabase } from "@tessera/db/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { call, expectError, expectSuccess, login, uniqueName } from "../testing/http.ts";
import { png, productOf, uploadImage } from "../testing/images.ts";
import { type ServerProcess, spawnServer } from "../testing/process.ts";
import { startTestServer } from "../testing/server.ts";
import { account } from "../testing/accounts.ts";

/** Polls `check` (an event in another process: a file appearing, a sweep having run) until it holds. */
async function until(what: string, check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3TestServer();
});
afterAll(() => s3?.destroy());

describe.each(["local", "s3"])("%s storage: crashes and failures leave no bytes behind for good", (driver) => {
  let dataDir: string;
  let spoolDir: string;
  let database: TestDatabase;
  let db: Database;
  let env: Record<string, string>;
  let prefix: string;
  const servers: ServerProcess[] = [];

  /** The keys the storage holds for this server (completed writes only), sorted. */
  const storedKeys = async (): Promise<string[]> => {
    if (driver === "s3") return (await s3.keys(prefix)).map((key) => key.slice(prefix.length));
    const folder = path.join(dataDir, "images");
    return existsSync(folder) ? readdirSync(folder).filter((name) => !name.startsWith(".")).sort() : [];
  };
  /** What interrupted writes left: partial files (local), spooled uploads (S3). */
  const unfinished = (): string[] => {
    if (driver === "s3") return readdirSync(spoolDir).filter((name) => name.startsWith("tessera-image-"));
    const folder = path.join(dataDir, "images");
    return existsSync(folder) ? readdirSync(folder).filter((name) => name.startsWith(".partial-")) : [];
  };
  const rowFor = (key: string) => db.kysely.selectFrom("product_images").select("id").where("storage_key", "=", key).executeTakeFirst();

  async function start(extra: Record<string, string> = {}): Promise<ServerProcess> {
    const server = await spawnServer({ ...env, ...extra });
    servers.push(server);
    return server;
  }
  async function kill(server: ServerProcess): Promise<void> {
    server.child.kill("SIGKILL");
    await server.exited;
  }

  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "tessera-orphans-"));
    spoolDir = mkdtempSync(path.join(tmpdir(), "tessera-orphans-spool-"));
    database = await createTestDatabase(dataDir);
    db = await createDatabase({ url: database.url });
    prefix = `orphans-${randomUUID()}/`;
    env = {
      DATA_DIR: dataDir, DATABASE_URL: database.url, JWT_SECRET: randomBytes(32).toString("hex"), BCRYPT_COST: "4",
      // A sweep every second, but nothing is old enough for it until a restart says IMAGE_SWEEP_GRACE_SECONDS=0.
      IMAGE_SWEEP_INTERVAL_SECONDS: "1", IMAGE_SWEEP_GRACE_SECONDS: "3600",
      TMPDIR: spoolDir, // where the S3 driver spools uploads (os.tmpdir())
      ...(driver === "s3" ? s3.env(prefix) : {}),
    };
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
      await server.exited;
    }
    await db.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it("SIGKILL after the bytes are stored and before the row commits: the restarted server's sweep removes them", async () => {
    const first = await start();
    const seller = (await account(first.url, { role: "seller" })).token;
    const product = await productOf(first.url, seller);
    const kept = png([7, 7, 7, 255]);
    const keptId = (await uploadImage(first.url, seller, product, kept)).body.data.image_id;

    // Hold the product's row (on SQLite: the database's write lock) so the upload stops between its two steps.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holding = db.transaction(async (tx) => {
      await tx.updateTable("products").set({ updated_at: new Date() }).where("id", "=", product).execute();
      locked();
      await released;
    });
    await lockTaken;
    const upload = uploadImage(first.url, seller, product, png([1, 2, 3, 255], 300_000)).catch((error: unknown) => error);
    let orphan: string | undefined;
    await until("the upload's bytes in storage", async () => {
      orphan = (await storedKeys()).find((key) => key !== keptId);
      return orphan !== undefined;
    });
    await kill(first);
    release();
    await holding;
    expect(await upload).toBeInstanceOf(Error); // the connection died with the process: no answer
    expect(await rowFor(orphan!)).toBeUndefined();
    expect(await storedKeys()).toEqual([keptId, orphan!].sort());

    const second = await start({ IMAGE_SWEEP_GRACE_SECONDS: "0" });
    await until("the sweep removed the orphan", async () => !(await storedKeys()).includes(orphan!));
    expect(await storedKeys()).toEqual([keptId]);
    const served = await fetch(`${second.url}/api/images/${keptId}`);
    expect(Buffer.from(await served.arrayBuffer()).equals(kept)).toBe(true);
  });

  it("SIGKILL while an upload is still arriving: what the write left is discarded at the next start", async () => {
    const first = await start();
    const seller = (await account(first.url, { role: "seller" })).token;
    const product = await productOf(first.url, seller);
    const boundary = `----tessera${randomUUID()}`;
    const req = httpRequest(`${first.url}/api/products/${product}/images`, {
      method: "POST", headers: { authorization: `Bearer ${seller}`, "content-type": `multipart/form-data; boundary=${boundary}` },
    });
    req.on("error", () => undefined); // the server is killed under it
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`);
    req.write(png([4, 4, 4, 255], 1_000_000).subarray(0, 200_000)); // and the rest never comes
    await until("a write under way", () => unfinished().length > 0);
    await kill(first);
    req.destroy();
    expect(unfinished()).toHaveLength(1);

    await start({ IMAGE_SWEEP_GRACE_SECONDS: "0" });
    await until("the interrupted write discarded", () => unfinished().length === 0);
    expect(await storedKeys()).toEqual([]);
  });

  it.runIf(driver === "s3")("S3 down while an image is deleted: 200, clear log lines, and the object goes once S3 is back", async () => {
    const server = await start();
    let log = "";
    server.child.stdout!.on("data", (chunk: Buffer) => (log += chunk.toString()));
    const seller = (await account(server.url, { role: "seller" })).token;
    const product = await productOf(server.url, seller);
    const deleted = (await uploadImage(server.url, seller, product, png([1, 1, 1, 255]))).body.data.image_id;
    const kept = (await uploadImage(server.url, seller, product, png([2, 2, 2, 255]))).body.data.image_id;

    await s3.stop(); // the outage
    expectSuccess(await call(server.url, "DELETE", `/api/products/${product}/images/${deleted}`, { token: seller }));
    expectError(await uploadImage(server.url, seller, product, png()), 503, "NOT_READY");
    await until("the log lines", () => /image storage unavailable \(store\): S3 PutObject failed on bucket/.test(log) && /the image sweep will retry/.test(log));
    expect(log).toMatch(/ECONNREFUSED/);
    expect(await rowFor(deleted)).toBeUndefined();
    await s3.restart(); // the outage ends

    await until("the deleted image's object removed by the sweep's retry", async () => !(await storedKeys()).includes(deleted));
    expect(await storedKeys()).toEqual([kept]);
  });
});

describe("local storage: deletions whose removal fails", () => {
  it("answer 200 (the rows are gone), and the sweep removes the bytes once the storage works again", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "tessera-failing-"));
    const local = createLocalImageStorage(folder);
    const outage = { on: false };
    const failing: ImageStorage = {
      ...local,
      async remove(key) {
        if (outage.on) throw new Error("EIO: the disk is failing");
        await local.remove(key);
      },
    };
    const server = await startTestServer({ IMAGE_SWEEP_INTERVAL_SECONDS: "0" }, { images: failing });
    try {
      const seller = (await account(server.url, { role: "seller" })).token;
      const product = await productOf(server.url, seller);
      const image = (await uploadImage(server.url, seller, product, png())).body.data.image_id;
      const doomed = (await account(server.url, { role: "seller", storeName: "Closing down" })).token;
      const doomedProduct = await productOf(server.url, doomed);
      const doomedImage = (await uploadImage(server.url, doomed, doomedProduct, png([5, 5, 5, 255]))).body.data.image_id;
      const doomedId = (await call(server.url, "GET", "/api/me", { token: doomed })).body.data.user_id;
      const adminName = uniqueName("root");
      await createSuperuser(server.services.db, server.services.passwords, { username: adminName, email: `${adminName}@example.com`, password: "Str0ng!Passw0rd" });
      const admin = (await login(server.url, adminName)).access_token;

      outage.on = true;
      expectSuccess(await call(server.url, "DELETE", `/api/products/${product}/images/${image}`, { token: seller }));
      expectSuccess(await call(server.url, "DELETE", `/api/admin/users/${doomedId}`, { token: admin }));
      expect(readdirSync(folder).sort()).toEqual([image, doomedImage].sort()); // rows gone, bytes still there

      outage.on = false;
      expect(await server.services.imageSweep.run()).toMatchObject({ removed: 2, failed: 0 });
      expect(readdirSync(folder)).toEqual([]);
    } finally {
      await server.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
