import { router, sellerProcedure } from "../../trpc.ts";
import { idInput, listInput, listOutput, orderOutput } from "../orders/orders.schema.ts";
import { deliverOrder, getSellerOrder, listSellerOrders, shipOrder } from "./seller-orders.handler.ts";
import { deliveredOutput, shippedOutput } from "./seller-orders.schema.ts";

const tags = ["seller"];

/** The seller's side of orders: those for the caller's products (FORBIDDEN to anyone whose role is not seller). */
export const sellerOrdersRouter = router({
  list: sellerProcedure
    .meta({
      openapi: { method: "GET", path: "/seller/orders", tags, summary: "Orders for your products, newest first, one page at a time" },
      errors: ["INVALID_REQUEST", "FORBIDDEN"],
    })
    .input(listInput)
    .output(listOutput)
    .query(listSellerOrders),

  get: sellerProcedure
    .meta({ openapi: { method: "GET", path: "/seller/orders/{id}", tags, summary: "One order for your products" }, errors: ["FORBIDDEN", "ORDER_NOT_FOUND"] })
    .input(idInput)
    .output(orderOutput)
    .query(getSellerOrder),

  ship: sellerProcedure
    .meta({
      openapi: { method: "POST", path: "/seller/orders/{id}/ship", tags, summary: "Mark a paid order shipped" },
      errors: ["FORBIDDEN", "ORDER_NOT_FOUND", "INVALID_ORDER_STATE"],
    })
    .input(idInput)
    .output(shippedOutput)
    .mutation(shipOrder),

  deliver: sellerProcedure
    .meta({
      openapi: { method: "POST", path: "/seller/orders/{id}/deliver", tags, summary: "Mark a shipped order delivered" },
      errors: ["FORBIDDEN", "ORDER_NOT_FOUND", "INVALID_ORDER_STATE"],
    })
    .input(idInput)
    .output(deliveredOutput)
    .mutation(deliverOrder),
});
