import { type FormEvent, useId } from "react";
import { Link } from "react-router";
import { toProblems } from "../../forms/problems.ts";
import { formatMoney } from "../../lib/money.ts";
import type { CartLine } from "./useCart.ts";

interface CartLineRowProps {
  line: CartLine;
  currency: string;
  /** The last failed quantity change of this line. */
  error: unknown;
  /** What the last checkout said about this line (its stock ran out). */
  checkoutProblem: string | undefined;
  pending: boolean;
  onSetQuantity: (quantity: number) => void;
  onRemove: () => void;
}

/** One line: its quantity is a small form of its own (Update), so a refusal appears beside that line's field. */
export function CartLineRow({ line, currency, error, checkoutProblem, pending, onSetQuantity, onRemove }: CartLineRowProps) {
  const id = useId();
  const problems = error ? toProblems(error, { quantity: "Quantity" }) : null;
  const message = [problems?.fields.quantity, problems?.message, checkoutProblem].filter(Boolean).join(" ") || null;
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSetQuantity(Number(new FormData(event.currentTarget).get("quantity") ?? 0));
  };

  return (
    <tr>
      <th scope="row">
        <Link to={`/shop/${line.product_id}`}>{line.name}</Link>
        {!line.available && <small className="description unavailable">Not available in this quantity</small>}
      </th>
      <td>{formatMoney(line.unit_price_cents, currency)}</td>
      <td>
        <form className="quantity-form" onSubmit={onSubmit} noValidate aria-label={`Quantity of ${line.name}`}>
          <label htmlFor={id} className="visually-hidden">Quantity of {line.name}</label>
          {/* Keyed by the quantity, so the field shows the server's value after each answer. */}
          <input
            key={line.quantity} id={id} name="quantity" type="number" inputMode="numeric" min={0} max={99} defaultValue={line.quantity}
            aria-invalid={message ? true : undefined} aria-describedby={message ? `${id}-error` : undefined}
          />
          <button type="submit" className="secondary" disabled={pending}>Update<span className="visually-hidden"> {line.name}</span></button>
          {message && <small id={`${id}-error`} className="field-error">{message}</small>}
        </form>
      </td>
      <td>{formatMoney(line.line_total_cents, currency)}</td>
      <td className="row-actions">
        <button type="button" className="danger" disabled={pending} aria-label={`Remove ${line.name}`} onClick={onRemove}>Remove</button>
      </td>
    </tr>
  );
}
