import type { Order, OrderEvent, RouterInputs } from "@tessera/sdk";
import { useSubscription, useTRPC } from "@tessera/sdk/react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { liveStateOf, useLastChange } from "../../components/live.tsx";
import { labelOf } from "../../forms/fields.tsx";
import { ORDER_STATUS_OPTIONS } from "./status.tsx";

export type { Order };
export type OrderListInput = RouterInputs["orders"]["list"];

export function useOrderList(input: OrderListInput) {
  const trpc = useTRPC();
  return useQuery(trpc.orders.list.queryOptions(input, { placeholderData: keepPreviousData, select: (answer) => answer.data }));
}

export function useOrder(id: string) {
  const trpc = useTRPC();
  return useQuery(trpc.orders.get.queryOptions({ id }, { select: (answer) => answer.data }));
}

/** The buyer's orders and the seller's are separate lists; a status change reloads both. */
function useReloadOrders() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => Promise.all([trpc.orders.pathKey(), trpc.sellerOrders.pathKey()].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

export function useCancelOrder() {
  const trpc = useTRPC();
  return useMutation(trpc.orders.cancel.mutationOptions({ onSettled: useReloadOrders() }));
}

/** "Order 3f2a9c1e is now Shipped." */
export const shortId = (id: string) => id.slice(0, 8);
const describe = ({ order }: OrderEvent) => `Order ${shortId(order.id)} is now ${labelOf(ORDER_STATUS_OPTIONS, order.status)}.`;

/**
 * Follows `orders.onChange`: every status change of an order the user bought or sells reloads the orders in view,
 * and so does every (re)start of the stream, so nothing changed while it was down is missed.
 */
export function useLiveOrders() {
  const trpc = useTRPC();
  const reload = useReloadOrders();
  const [lastChange, setLastChange] = useLastChange();
  const subscription = useSubscription(trpc.orders.onChange.subscriptionOptions(undefined, {
    onStarted: () => void reload(),
    onData: (event) => {
      setLastChange(describe(event));
      void reload();
    },
  }));
  return { state: liveStateOf(subscription), lastChange };
}
