/** Shared by the SDK's tests: a live server, fresh users, a fetch that counts requests, subscription helpers. */
import { account, PASSWORD, sleep, startTestServer, type TestServer, uniqueName, within as kitWithin } from "@tessera/server/testing";
import { EventSource } from "eventsource";
import { createTesseraClient, type FetchLike, type TaskEvent, type TesseraClient, type TesseraClientOptions } from "../src/index.ts";

export { EventSource, sleep, type TestServer };

/** A real server on an ephemeral port with a database of its own. Open streams are cut after 2 s at stop. */
export const liveServer = (env: Record<string, string> = {}) => startTestServer({ SHUTDOWN_TIMEOUT_MS: "2000", ...env });

/** A registration as the SDK sends it (no age). */
export function newUser() {
  const username = uniqueName("sdk");
  return { username, email: `${username}@example.com`, password: PASSWORD, full_name: "Ada Lovelace", gender: "female" as const };
}

/**
 * A fetch that records the procedure paths of each HTTP request (several for a batch); `answer` may hold back or
 * replace a response.
 */
export function countingFetch(answer: (response: Response, paths: string[]) => Promise<Response> = async (r) => r) {
  const requests: string[][] = [];
  const fetchImpl: FetchLike = async (url, init) => {
    const paths = decodeURIComponent(new URL(String(url)).pathname.replace(/^.*\/trpc\//, "")).split(",");
    requests.push(paths);
    return answer(await fetch(url as string, init as RequestInit), paths);
  };
  return {
    fetch: fetchImpl,
    requests,
    /** HTTP requests that carried an auth.refresh call. */
    refreshes: () => requests.filter((paths) => paths.includes("auth.refresh")).length,
  };
}

export function client(server: TestServer, options: Partial<TesseraClientOptions> = {}): TesseraClient {
  return createTesseraClient({ url: server.url, EventSource, ...options });
}

/** A new account (the server kit's, registered over REST), signed in through the SDK on a client of its own. */
export async function signedIn(server: TestServer, options: Partial<TesseraClientOptions> = {}) {
  const user = await account(server, { prefix: "sdk" });
  const tessera = client(server, options);
  await tessera.login({ username: user.username, password: user.password });
  return { tessera, user };
}

/** Promise.withResolvers, which Node 20 lacks. */
export function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/**
 * With ACCESS_TOKEN_TTL_SECONDS=1 a token expires at the first whole second after it was issued (JWT times are
 * whole seconds), so a token issued just before a boundary lives a few milliseconds. Waiting until just past the
 * next boundary expires every token issued so far and leaves most of a second in which fresh ones stay valid.
 */
export const nextSecond = () => sleep(1000 - (Date.now() % 1000) + 30);

/** The kit's within, sooner: rejects after `ms`, naming what did not arrive, instead of hanging the test. */
export const within = <T>(promise: Promise<T>, what: string, ms = 5000): Promise<T> => kitWithin(promise, what, ms);

/** Subscribes to tasks.onChange and collects events; `started` resolves once the server has accepted it. */
export function watchTasks(tessera: TesseraClient) {
  const events: TaskEvent[] = [];
  const errors: unknown[] = [];
  let onStarted = () => {};
  const started = new Promise<void>((resolve) => (onStarted = resolve));
  const subscription = tessera.tasks.onChange.subscribe(undefined, {
    onStarted: () => onStarted(),
    onData: (event) => events.push(event),
    onError: (error) => errors.push(error),
  });
  return {
    events,
    errors,
    started: within(started, "subscription start"),
    stop: () => subscription.unsubscribe(),
    /** Waits until `count` events arrived (or an error did). */
    async waitFor(count: number) {
      const deadline = Date.now() + 5000;
      while (events.length < count && errors.length === 0 && Date.now() < deadline) await sleep(10);
      return events;
    },
  };
}
