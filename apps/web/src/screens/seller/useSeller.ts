import type { ProductInput, RouterInputs } from "@tessera/sdk";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { postForm } from "../../app/http.ts";
import { ME } from "../../app/session.tsx";
import { tessera } from "../../app/tessera.ts";
import { SELLER_ORDERS } from "../orders/useOrders.ts";
import { PRODUCTS } from "../shop/useShop.ts";

export type ProductUpdate = RouterInputs["products"]["patch"];
export type SellerOrderListInput = RouterInputs["sellerOrders"]["list"];

/** Becoming a seller changes the user's role: `me` (the session) is read again. */
export function useOnboard() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (storeName: string) => (await tessera.seller.onboard.mutate({ store_name: storeName })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ME }),
  });
}

/** Create, edit and archive a product; each reloads every view of the catalog. */
export function useProductMutations() {
  const queryClient = useQueryClient();
  const onSuccess = () => queryClient.invalidateQueries({ queryKey: PRODUCTS });
  return {
    create: useMutation({ mutationFn: async (input: ProductInput) => (await tessera.products.create.mutate(input)).data, onSuccess }),
    update: useMutation({ mutationFn: async (input: ProductUpdate) => (await tessera.products.patch.mutate(input)).data, onSuccess }),
    archive: useMutation({ mutationFn: async (id: string) => (await tessera.products.delete.mutate({ id })).data, onSuccess }),
  };
}

interface UploadedImage {
  data: { image_id: string; url: string };
}

/** Upload (multipart, plain HTTP: see app/http.ts) and delete a product's images. */
export function useImageMutations(productId: string) {
  const queryClient = useQueryClient();
  const onSuccess = () => queryClient.invalidateQueries({ queryKey: PRODUCTS });
  return {
    upload: useMutation({
      mutationFn: (file: File) => {
        const form = new FormData();
        form.append("image", file);
        return postForm<UploadedImage>(`/products/${encodeURIComponent(productId)}/images`, form);
      },
      onSuccess,
    }),
    remove: useMutation({
      mutationFn: (imageId: string) => tessera.products.images.delete.mutate({ id: productId, image_id: imageId }),
      onSuccess,
    }),
  };
}

export function useSellerOrders(input: SellerOrderListInput) {
  return useQuery({
    queryKey: [...SELLER_ORDERS, "list", input],
    queryFn: async () => (await tessera.sellerOrders.list.query(input)).data,
    placeholderData: keepPreviousData,
  });
}

/** Ship and deliver; the list reloads (the live subscription would reload it too, a moment later). */
export function useOrderMoves() {
  const queryClient = useQueryClient();
  const onSettled = () => queryClient.invalidateQueries({ queryKey: SELLER_ORDERS });
  return {
    ship: useMutation({ mutationFn: async (id: string) => (await tessera.sellerOrders.ship.mutate({ id })).data, onSettled }),
    deliver: useMutation({ mutationFn: async (id: string) => (await tessera.sellerOrders.deliver.mutate({ id })).data, onSettled }),
  };
}
