import { protectedProcedure, router } from "../../trpc.ts";
import { cancelOwnOrder, getOwnOrder, listOwnOrders, orderChanges } from "./orders.handler.ts";
import { cancelledOutput, idInput, listInput, listOutput, orderOutput } from "./orders.schema.ts";

const tags = ["orders"];

export const ordersRouter = router({
  list: protectedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/orders",
        tags,
        summary: "Your orders, newest first, one page at a time",
        description: "Keyset pagination: pass next_cursor as cursor for the next page, with the same status filter.",
      },
      errors: ["INVALID_REQUEST"],
    })
    .input(listInput)
    .output(listOutput)
    .query(listOwnOrders),

  get: protectedProcedure
    .meta({ openapi: { method: "GET", path: "/orders/{id}", tags, summary: "One of your orders" }, errors: ["ORDER_NOT_FOUND"] })
    .input(idInput)
    .output(orderOutput)
    .query(getOwnOrder),

  cancel: protectedProcedure
    .meta({
      openapi: { method: "POST", path: "/orders/{id}/cancel", tags, summary: "Cancel a paid order: refunded, its units back in stock" },
      errors: ["ORDER_NOT_FOUND", "INVALID_ORDER_STATE"],
    })
    .input(idInput)
    .output(cancelledOutput)
    .mutation(cancelOwnOrder),

  // Live status changes of the orders you bought and those you sell (SSE); not part of REST.
  onChange: protectedProcedure.subscription(orderChanges),
});
