import type { RouterInputs } from "@tessera/sdk";
import { useTRPC } from "@tessera/sdk/react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { tessera } from "../../app/tessera.ts";
import { useReloadCatalog } from "../shop/useShop.ts";

export type ProductUpdate = RouterInputs["products"]["patch"];
export type SellerOrderListInput = RouterInputs["sellerOrders"]["list"];

/** Becoming a seller changes the user's role: `auth.me` (the session) is read again. */
export function useOnboard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(trpc.seller.onboard.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() }) }));
}

/** Create, edit and archive a product; each reloads every view of the catalog. */
export function useProductMutations() {
  const trpc = useTRPC();
  const onSuccess = useReloadCatalog();
  return {
    create: useMutation(trpc.products.create.mutationOptions({ onSuccess })),
    update: useMutation(trpc.products.patch.mutationOptions({ onSuccess })),
    archive: useMutation(trpc.products.delete.mutationOptions({ onSuccess })),
  };
}

/** Upload (the SDK's helper: multipart, with the client's tokens and errors) and delete a product's images. */
export function useImageMutations(productId: string) {
  const trpc = useTRPC();
  const onSuccess = useReloadCatalog();
  return {
    upload: useMutation({ mutationFn: (file: File) => tessera.uploadProductImage(productId, file), onSuccess }),
    remove: useMutation(trpc.products.images.delete.mutationOptions({ onSuccess })),
  };
}

export function useSellerOrders(input: SellerOrderListInput) {
  const trpc = useTRPC();
  return useQuery(trpc.sellerOrders.list.queryOptions(input, { placeholderData: keepPreviousData, select: (answer) => answer.data }));
}

/** Ship and deliver; the list reloads (the live subscription would reload it too, a moment later). */
export function useOrderMoves() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSettled = () => queryClient.invalidateQueries({ queryKey: trpc.sellerOrders.pathKey() });
  return {
    ship: useMutation(trpc.sellerOrders.ship.mutationOptions({ onSettled })),
    deliver: useMutation(trpc.sellerOrders.deliver.mutationOptions({ onSettled })),
  };
}
