import type {
  AnyTRPCMutationProcedure, AnyTRPCQueryProcedure, AnyTRPCRouter, AnyTRPCSubscriptionProcedure, TRPCMutationProcedure,
  TRPCQueryProcedure, TRPCRouterDef, TRPCRouterRecord, TRPCSubscriptionProcedure,
} from "@trpc/server";

/**
 * The router as a client sees it: every procedure's kind, input and output, and the error shape — without the
 * server's context (Prisma client, services) or procedure meta (OpenAPI, field codes).
 *
 * None of these aliases is exported, on purpose: when declaration emit meets a type whose alias it cannot name
 * from the file being emitted, it writes the type out in full. That is how ../router.ts gets a router type that
 * mentions only @trpc/server's public types, with every input and output spelled out.
 */

/** JSON-like data with interface names dropped (the error shape's `details` are an api-internal interface). */
type Plain<T> = T extends (...args: never[]) => unknown ? T : T extends object ? { [K in keyof T]: Plain<T[K]> } : T;

type Root<R extends AnyTRPCRouter> = R["_def"]["_config"]["$types"];

/** `meta: object` replaces the server's OpenAPI meta; the per-procedure error shape falls back to the root's. */
type Def<P extends AnyTRPCQueryProcedure | AnyTRPCMutationProcedure | AnyTRPCSubscriptionProcedure> = {
  input: P["_def"]["$types"]["input"];
  output: P["_def"]["$types"]["output"];
  meta: object;
};

type ClientEntry<P> =
  P extends AnyTRPCQueryProcedure ? TRPCQueryProcedure<Def<P>>
  : P extends AnyTRPCMutationProcedure ? TRPCMutationProcedure<Def<P>>
  : P extends AnyTRPCSubscriptionProcedure ? TRPCSubscriptionProcedure<Def<P>>
  : P extends TRPCRouterRecord ? ClientRecord<P>
  : never;

type ClientRecord<R> = R extends TRPCRouterRecord ? { [K in keyof R]: ClientEntry<R[K]> } : never;

/**
 * Satisfies @trpc/client's `AnyRouter` constraint. `createCaller` is server-side only, so it is `never` here;
 * `_def.record` is all the client reads.
 */
type ClientView<R extends AnyTRPCRouter> = {
  _def: TRPCRouterDef<
    { ctx: object; meta: object; errorShape: Plain<Root<R>["errorShape"]>; transformer: Root<R>["transformer"] },
    ClientRecord<R["_def"]["record"]>
  >;
  createCaller: never;
};

/** Type-level only: returns nothing at runtime. */
export const clientView = <R extends AnyTRPCRouter>(): ClientView<R> => undefined as unknown as ClientView<R>;
