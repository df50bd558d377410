import { protectedProcedure, router } from "../../trpc.ts";
import { addItem, emptyCart, getCart, removeItem, setItem } from "./cart.handler.ts";
import { addedOutput, addInput, cartOutput, emptiedOutput, productInput, removedOutput, setInput, updatedOutput } from "./cart.schema.ts";

const tags = ["cart"];

export const cartRouter = router({
  get: protectedProcedure
    .meta({ openapi: { method: "GET", path: "/cart", tags, summary: "Your cart, with live prices and availability" } })
    .output(cartOutput)
    .query(getCart),

  add: protectedProcedure
    .meta({
      openapi: { method: "POST", path: "/cart/items", tags, summary: "Add units of a product (merging with its line)" },
      errors: ["PRODUCT_NOT_FOUND", "INSUFFICIENT_STOCK", "CURRENCY_MISMATCH", "OWN_PRODUCT", "QUOTA_EXCEEDED"],
    })
    .input(addInput)
    .output(addedOutput)
    .mutation(addItem),

  set: protectedProcedure
    .meta({
      openapi: { method: "PUT", path: "/cart/items/{product_id}", tags, summary: "Set a line's quantity (0 removes it)" },
      errors: ["PRODUCT_NOT_FOUND", "INSUFFICIENT_STOCK", "CURRENCY_MISMATCH", "OWN_PRODUCT", "QUOTA_EXCEEDED"],
    })
    .input(setInput)
    .output(updatedOutput)
    .mutation(setItem),

  remove: protectedProcedure
    .meta({
      openapi: { method: "DELETE", path: "/cart/items/{product_id}", tags, summary: "Remove a line" },
      errors: ["PRODUCT_NOT_FOUND"],
    })
    .input(productInput)
    .output(removedOutput)
    .mutation(removeItem),

  empty: protectedProcedure
    .meta({ openapi: { method: "DELETE", path: "/cart", tags, summary: "Empty your cart" } })
    .output(emptiedOutput)
    .mutation(emptyCart),
});
