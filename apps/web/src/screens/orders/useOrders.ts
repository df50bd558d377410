import type { Order, OrderEvent, RouterInputs } from "@tessera/sdk";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { tessera } from "../../app/tessera.ts";
import { type LiveHandlers, useLiveReload } from "../../components/live.tsx";
import { labelOf } from "../../forms/fields.tsx";
import { ORDER_STATUS_OPTIONS } from "./status.tsx";

export type { Order };
export type OrderListInput = RouterInputs["orders"]["list"];

/** The buyer's orders and the seller's are separate lists; a status change reloads both. */
export const ORDERS = ["orders"] as const;
export const SELLER_ORDERS = ["seller-orders"] as const;

export function useOrderList(input: OrderListInput) {
  return useQuery({
    queryKey: [...ORDERS, "list", input],
    queryFn: async () => (await tessera.orders.list.query(input)).data,
    placeholderData: keepPreviousData,
  });
}

export function useOrder(id: string) {
  return useQuery({ queryKey: [...ORDERS, "one", id], queryFn: async () => (await tessera.orders.get.query({ id })).data });
}

export function useCancelOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => (await tessera.orders.cancel.mutate({ id })).data,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ORDERS }),
  });
}

/** "Order 3f2a9c1e is now Shipped." */
export const shortId = (id: string) => id.slice(0, 8);
const describe = ({ order }: OrderEvent) => `Order ${shortId(order.id)} is now ${labelOf(ORDER_STATUS_OPTIONS, order.status)}.`;
const subscribe = (handlers: LiveHandlers<OrderEvent>) => tessera.orders.onChange.subscribe(undefined, handlers);
const LIVE_KEYS = [ORDERS, SELLER_ORDERS];

/** Follows `orders.onChange`: every status change of an order the user bought or sells reloads the orders in view. */
export const useLiveOrders = () => useLiveReload(subscribe, LIVE_KEYS, describe);
