import { type FormEvent, useRef } from "react";
import { useNavigate } from "react-router";
import { FormAlert, SelectField } from "../../forms/fields.tsx";
import { NO_PROBLEMS, toProblems } from "../../forms/problems.ts";
import { useFocusFirstInvalid } from "../../forms/useFocusFirstInvalid.ts";
import { keyFor } from "./attempts.ts";
import type { useCheckout } from "./useCart.ts";

/** The payment simulator's test cards (docs/contract.md): the first two are charged, the others declined. */
export const TEST_CARDS = [
  { value: "pm_card_visa", label: "Visa (test card, succeeds)" },
  { value: "pm_card_mastercard", label: "Mastercard (test card, succeeds)" },
  { value: "pm_card_chargeDeclined", label: "Declined card (test card)" },
  { value: "pm_card_insufficientFunds", label: "Insufficient funds (test card)" },
  { value: "pm_card_expired", label: "Expired card (test card)" },
] as const;

/** The API's field names, and their labels on this form. */
const FIELDS = { payment_method: "Payment method" };

/** Pay for the cart with a test card; each attempt's Idempotency-Key comes from keyFor (attempts.ts). */
export function CheckoutForm({ checkout, total }: { checkout: ReturnType<typeof useCheckout>; total: string }) {
  const form = useRef<HTMLFormElement>(null);
  const navigate = useNavigate();
  const problems = checkout.error ? toProblems(checkout.error, FIELDS) : NO_PROBLEMS;
  useFocusFirstInvalid(form, checkout.error);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const paymentMethod = String(new FormData(event.currentTarget).get("payment_method") ?? "");
    const attempt = { payment_method: paymentMethod, key: keyFor(paymentMethod, checkout.variables, checkout.error) };
    checkout.mutate(attempt, {
      onSuccess: (placed) => void navigate("/orders", { state: { placed: placed.message } }),
    });
  };

  return (
    <form ref={form} className="panel" onSubmit={onSubmit} noValidate aria-label="Checkout">
      <h2>Checkout</h2>
      <FormAlert message={problems.message} />
      <fieldset disabled={checkout.isPending}>
        <SelectField
          label="Payment method" name="payment_method" options={TEST_CARDS} defaultValue={checkout.variables?.payment_method ?? "pm_card_visa"}
          hint="The payment simulator's test cards: no money moves." error={problems.fields.payment_method}
        />
        <p>Total: <strong>{total}</strong></p>
        <div className="actions">
          <button type="submit">{checkout.isPending ? "Placing your order…" : "Place order"}</button>
        </div>
      </fieldset>
    </form>
  );
}
