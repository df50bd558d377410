import type { AppRouter } from "@tessera/api";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { clientView } from "./internal/client-view.ts";

// The only file that sees the server's router. Declaration emit writes `router`'s type out in full (see
// internal/client-view.ts), so the published .d.ts holds every procedure's types and imports nothing from this
// repository. Only types leave this file: index.ts re-exports them with `export type`, so no code of it is bundled.
const router = clientView<AppRouter>();

/** Every procedure of the Tessera API, as the client sees it. */
export type TesseraRouter = typeof router;

/** Procedure inputs by path, e.g. `RouterInputs["tasks"]["create"]`. */
export type RouterInputs = inferRouterInputs<TesseraRouter>;
/** Procedure outputs by path, e.g. `RouterOutputs["tasks"]["get"]["data"]`. */
export type RouterOutputs = inferRouterOutputs<TesseraRouter>;

type ErrorShape = TesseraRouter["_def"]["_config"]["$types"]["errorShape"];

/** A machine code of the HTTP contract (docs/contract.md), as errors carry it. */
export type AppCode = ErrorShape["data"]["appCode"];
/** One field problem of a validation error: `path` is the field name, dotted for nested fields. */
export type FieldProblem = NonNullable<ErrorShape["data"]["details"]>[number];

export type Task = RouterOutputs["tasks"]["get"]["data"];
export type Product = RouterOutputs["products"]["get"]["data"];
export type ProductInput = RouterInputs["products"]["create"];
export type Category = RouterOutputs["categories"]["list"]["data"]["items"][number];
export type User = RouterOutputs["auth"]["register"]["data"];
export type CurrentUser = RouterOutputs["auth"]["me"]["data"];
export type RegisterInput = RouterInputs["auth"]["register"];
export type LoginInput = RouterInputs["auth"]["token"];
/** An event of the `tasks.onChange` subscription. */
export type TaskEvent = RouterOutputs["tasks"]["onChange"] extends AsyncIterable<infer E> ? E : never;
export type Cart = RouterOutputs["cart"]["get"]["data"];
export type Order = RouterOutputs["orders"]["get"]["data"];
/** An event of the `orders.onChange` subscription: an order you bought or sell, after a status change. */
export type OrderEvent = RouterOutputs["orders"]["onChange"] extends AsyncIterable<infer E> ? E : never;
