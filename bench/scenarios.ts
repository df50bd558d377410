/** The requests each scenario sends; keys and bodies vary over the seeded set. */
import type { Request } from "./load.ts";
import { KEYS, keyName } from "./seed.ts";

const randomKey = () => keyName(Math.floor(Math.random() * KEYS));
const VALUE = JSON.stringify({ value: "w".repeat(64) });
const TASK = JSON.stringify({ title: "Benchmark task", priority: "high" });
export const BATCH_SIZE = 10;

const trpcInput = (input: unknown) => encodeURIComponent(JSON.stringify(input));

export const requests = {
  healthz: (): Request => ({ method: "GET", path: "/healthz" }),
  getData: (): Request => ({ method: "GET", path: `/api/data/${randomKey()}` }),
  putData: (): Request => ({ method: "PUT", path: `/api/data/${randomKey()}`, body: VALUE }),
  listTasks: (): Request => ({ method: "GET", path: "/api/tasks/?limit=20" }),
  createTask: (): Request => ({ method: "POST", path: "/api/tasks/", body: TASK }),
  trpcGet: (): Request => ({ method: "GET", path: `/trpc/data.get?input=${trpcInput({ key: randomKey() })}` }),
  trpcBatch: (): Request => {
    const inputs = Object.fromEntries(Array.from({ length: BATCH_SIZE }, (_, i) => [i, { key: randomKey() }]));
    const paths = Array.from({ length: BATCH_SIZE }, () => "data.get").join(",");
    return { method: "GET", path: `/trpc/${paths}?batch=1&input=${trpcInput(inputs)}` };
  },
};
