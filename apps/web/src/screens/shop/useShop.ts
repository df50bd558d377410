import type { Product, RouterInputs } from "@tessera/sdk";
import { useTRPC } from "@tessera/sdk/react";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";

export type ProductListInput = RouterInputs["products"]["list"];
export type { Product };

export function useProducts(input: ProductListInput) {
  const trpc = useTRPC();
  return useQuery(trpc.products.list.queryOptions(input, { placeholderData: keepPreviousData, select: (answer) => answer.data }));
}

export function useProduct(id: string) {
  const trpc = useTRPC();
  return useQuery(trpc.products.get.queryOptions({ id }, { select: (answer) => answer.data }));
}

export function useCategories() {
  const trpc = useTRPC();
  return useQuery(trpc.categories.list.queryOptions(undefined, { select: (answer) => answer.data.items }));
}

/**
 * Reloads every view of the catalog: products (lists and pages, images included) and categories with their counts.
 * After a seller's change, or a checkout (stock).
 */
export function useReloadCatalog() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => Promise.all([trpc.products.pathKey(), trpc.categories.pathKey()].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}
