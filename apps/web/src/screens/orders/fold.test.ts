import type { Order } from "@tessera/sdk";
import { describe, expect, it } from "vitest";
import { foldFailedAttempts } from "./fold.ts";

const order = (id: string, status: Order["status"]) => ({ id, status }) as Order;
const shape = (orders: Order[]) =>
  foldFailedAttempts(orders).map((row) => (row.kind === "order" ? row.order.id : row.orders.map((o) => o.id).join("+")));

describe("foldFailedAttempts", () => {
  it("folds consecutive failed attempts into one row, in their order", () => {
    const orders = [order("a", "paid"), order("b", "payment_failed"), order("c", "payment_failed"), order("d", "payment_failed"), order("e", "shipped")];
    expect(shape(orders)).toEqual(["a", "b+c+d", "e"]);
    expect(foldFailedAttempts(orders)[1]).toMatchObject({ kind: "failed" });
  });

  it("leaves a lone failed attempt, and runs apart from each other, as they are", () => {
    expect(shape([order("a", "payment_failed"), order("b", "paid"), order("c", "payment_failed"), order("d", "payment_failed")])).toEqual(["a", "b", "c+d"]);
    expect(foldFailedAttempts([order("a", "payment_failed")])).toEqual([{ kind: "order", order: order("a", "payment_failed") }]);
    expect(foldFailedAttempts([])).toEqual([]);
  });
});
