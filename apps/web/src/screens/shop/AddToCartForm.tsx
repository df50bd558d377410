import { type FormEvent, useRef, useState } from "react";
import { Link } from "react-router";
import { FormAlert, TextField } from "../../forms/fields.tsx";
import { NO_PROBLEMS, toProblems } from "../../forms/problems.ts";
import { useFocusFirstInvalid } from "../../forms/useFocusFirstInvalid.ts";
import { useAddToCart } from "../cart/useCart.ts";
import type { Product } from "./useShop.ts";

/** The API's field names, and their labels on this form. */
const FIELDS = { quantity: "Quantity" };

/** Quantity and "Add to cart"; the API's refusals (stock, the 99 limit, one currency per cart) appear on the form. */
export function AddToCartForm({ product }: { product: Product }) {
  const form = useRef<HTMLFormElement>(null);
  const add = useAddToCart();
  const [added, setAdded] = useState<string | null>(null);
  const problems = add.error ? toProblems(add.error, FIELDS) : NO_PROBLEMS;
  useFocusFirstInvalid(form, add.error);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setAdded(null);
    // A number input's text is a number or empty; an empty one goes as 0, for the API to refuse with its message.
    const quantity = Number(new FormData(event.currentTarget).get("quantity") ?? 0);
    add.mutate({ product_id: product.id, quantity }, { onSuccess: () => setAdded(`Added ${quantity} × ${product.name} to your cart.`) });
  };

  return (
    <form ref={form} onSubmit={onSubmit} noValidate aria-label="Add to cart">
      <FormAlert message={problems.message} />
      <fieldset disabled={add.isPending}>
        <TextField label="Quantity" name="quantity" type="number" inputMode="numeric" min={1} max={99} defaultValue={1} error={problems.fields.quantity} />
        <button type="submit" disabled={product.stock === 0}>Add to cart</button>
      </fieldset>
      {added && <p role="status" className="notice">{added} <Link to="/cart">Go to your cart</Link></p>}
    </form>
  );
}
