/**
 * `@tessera/sdk/react`: TanStack Query options and keys for every procedure, through tRPC's own React integration
 * (`@trpc/tanstack-react-query`), typed for the Tessera router. Give the provider the client from
 * createTesseraClient, so queries, mutations and subscriptions go through its links (tokens, refresh, errors).
 */
import type { QueryClient } from "@tanstack/react-query";
import { createTRPCContext, createTRPCOptionsProxy, type TRPCOptionsProxy } from "@trpc/tanstack-react-query";
import type { TesseraClient } from "./client.ts";
import type { TesseraRouter } from "./router.ts";

/** Options and keys of every procedure: `trpc.tasks.list.queryOptions(input)`, `trpc.tasks.pathKey()`, … */
export type TesseraOptionsProxy = TRPCOptionsProxy<TesseraRouter>;

// Named types, so that the declaration files refer to the router type instead of writing it out once more.
type TesseraContext = ReturnType<typeof createTRPCContext<TesseraRouter>>;
const context: TesseraContext = createTRPCContext<TesseraRouter>();

/** `<TRPCProvider trpcClient={tessera} queryClient={queryClient}>` around the app, tessera from createTesseraClient. */
export const TRPCProvider: TesseraContext["TRPCProvider"] = context.TRPCProvider;
/** In a component: the options proxy, `trpc.tasks.list.queryOptions(input)` and the like. */
export const useTRPC: () => TesseraOptionsProxy = context.useTRPC;
/** In a component: the client given to TRPCProvider (its procedures; the auth helpers are on your `tessera`). */
export const useTRPCClient: TesseraContext["useTRPCClient"] = context.useTRPCClient;

/** The options proxy without React: for loaders, prefetching on a server, or code outside components. */
export const createTesseraOptionsProxy = (client: TesseraClient, queryClient: QueryClient): TesseraOptionsProxy =>
  createTRPCOptionsProxy<TesseraRouter>({ client, queryClient });

/** tRPC's hook for `subscriptionOptions()`, re-exported so an app needs one import for all of it. */
export { useSubscription } from "@trpc/tanstack-react-query";
export type { TRPCSubscriptionResult, TRPCSubscriptionStatus } from "@trpc/tanstack-react-query";
