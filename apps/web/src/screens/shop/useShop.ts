import type { Product, RouterInputs } from "@tessera/sdk";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { tessera } from "../../app/tessera.ts";

export type ProductListInput = RouterInputs["products"]["list"];
export type { Product };

/** Everything read from the catalog lives under this key, so a seller's change reloads every view of it. */
export const PRODUCTS = ["products"] as const;

export function useProducts(input: ProductListInput) {
  return useQuery({
    queryKey: [...PRODUCTS, "list", input],
    queryFn: async () => (await tessera.products.list.query(input)).data,
    placeholderData: keepPreviousData,
  });
}

export function useProduct(id: string) {
  return useQuery({ queryKey: [...PRODUCTS, "one", id], queryFn: async () => (await tessera.products.get.query({ id })).data });
}

export function useCategories() {
  return useQuery({ queryKey: [...PRODUCTS, "categories"], queryFn: async () => (await tessera.categories.list.query()).data.items });
}
