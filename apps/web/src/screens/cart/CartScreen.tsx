import { Link } from "react-router";
import { QueryError } from "../../components/QueryError.tsx";
import { toProblems } from "../../forms/problems.ts";
import { formatMoney } from "../../lib/money.ts";
import { CartLineRow } from "./CartLineRow.tsx";
import { CheckoutForm } from "./CheckoutForm.tsx";
import { useCart, useCartMutations, useCheckout } from "./useCart.ts";
import { TableBox } from "../../components/TableBox.tsx";

/** Where a checkout problem about one line is shown: `items.<product_id>` (INSUFFICIENT_STOCK's details). */
export const lineField = (productId: string) => `items.${productId}`;

export function CartScreen() {
  const cart = useCart();
  const { set, remove } = useCartMutations();
  const checkout = useCheckout();
  const items = cart.data?.items ?? [];
  const lineProblems = checkout.error ? toProblems(checkout.error, Object.fromEntries(items.map((item) => [lineField(item.product_id), item.name]))).fields : {};

  return (
    <section aria-labelledby="cart-title">
      <h1 id="cart-title">Cart</h1>
      <QueryError error={cart.error ?? remove.error} />
      {cart.isPending && <p role="status">Loading your cart…</p>}
      {cart.data && items.length === 0 && (
        <p className="empty">Your cart is empty. <Link to="/shop">Browse the shop</Link></p>
      )}
      {cart.data && items.length > 0 && (
        <div className="columns">
          <div className="main-column">
            <TableBox label="Your cart">
              <table className="list">
                <caption className="visually-hidden">Your cart</caption>
                <thead>
                  <tr>
                    <th scope="col">Product</th>
                    <th scope="col">Unit price</th>
                    <th scope="col">Quantity</th>
                    <th scope="col">Total</th>
                    <th scope="col"><span className="visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((line) => (
                    <CartLineRow
                      key={line.product_id}
                      line={line}
                      currency={cart.data.currency}
                      // Only the line the failed update was about shows its error.
                      error={set.variables?.product_id === line.product_id ? set.error : null}
                      checkoutProblem={lineProblems[lineField(line.product_id)]}
                      pending={set.isPending || remove.isPending}
                      onSetQuantity={(quantity) => set.mutate({ product_id: line.product_id, quantity })}
                      onRemove={() => remove.mutate({ product_id: line.product_id })}
                    />
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={3}>Subtotal</th>
                    <td className="subtotal" colSpan={2}>{formatMoney(cart.data.subtotal_cents, cart.data.currency)}</td>
                  </tr>
                </tfoot>
              </table>
            </TableBox>
          </div>
          <aside className="side-column">
            <CheckoutForm checkout={checkout} total={formatMoney(cart.data.subtotal_cents, cart.data.currency)} />
          </aside>
        </div>
      )}
    </section>
  );
}
