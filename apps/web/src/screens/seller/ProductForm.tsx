import type { ProductInput } from "@tessera/sdk";
import { type FormEvent, useRef } from "react";
import { FormAlert, TextAreaField, TextField } from "../../forms/fields.tsx";
import { NO_PROBLEMS, toProblems } from "../../forms/problems.ts";
import { useFocusFirstInvalid } from "../../forms/useFocusFirstInvalid.ts";
import { parseAmount, toDecimal } from "../../lib/money.ts";
import type { Product } from "../shop/useShop.ts";

/** The API's field names, and their labels on this form. */
const FIELDS = { name: "Name", description: "Description", price_cents: "Price", currency: "Currency", stock: "Stock", categories: "Categories" };

/** The form's values as the API wants them. */
export type ProductValues = Required<ProductInput>;

interface ProductFormProps {
  /** The product being edited, or undefined for a new one. */
  product?: Product | undefined;
  onSave: (values: ProductValues) => Promise<unknown>;
  error: unknown;
  pending: boolean;
}

/** "Tea, Kitchen ware" → ["Tea", "Kitchen ware"] (the API stores them lower-case). */
const splitCategories = (text: string) => text.split(",").map((part) => part.trim()).filter((part) => part !== "");

function readForm(form: HTMLFormElement): ProductValues {
  const values = new FormData(form);
  const text = (name: string) => String(values.get(name) ?? "");
  const currency = text("currency").trim().toUpperCase();
  const stock = text("stock").trim();
  return {
    name: text("name"),
    description: text("description"),
    // Text that is no amount (or no whole number) goes as is, so the API's message explains it beside the field.
    price_cents: parseAmount(text("price"), currency) as number,
    currency,
    stock: (/^\d+$/.test(stock) ? Number(stock) : stock) as number,
    categories: splitCategories(text("categories")),
  };
}

/** New product and edit product alike; key it by the product's id so that switching products starts afresh. */
export function ProductForm({ product, onSave, error, pending }: ProductFormProps) {
  const form = useRef<HTMLFormElement>(null);
  const problems = error ? toProblems(error, FIELDS) : NO_PROBLEMS;
  useFocusFirstInvalid(form, error);
  const title = product ? "Edit product" : "New product";

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSave(readForm(event.currentTarget)).catch(() => undefined); // the error is shown on the form
  };

  return (
    <form ref={form} className="panel" onSubmit={onSubmit} noValidate aria-label={title}>
      <h2>{title}</h2>
      <FormAlert message={problems.message} />
      <fieldset disabled={pending}>
        <TextField label="Name" name="name" required defaultValue={product?.name} error={problems.fields.name} />
        <TextAreaField label="Description" name="description" rows={4} defaultValue={product?.description} error={problems.fields.description} />
        <div className="row">
          <TextField
            label="Price" name="price" inputMode="decimal" hint="e.g. 12.50" error={problems.fields.price_cents}
            defaultValue={product ? toDecimal(product.price_cents, product.currency) : ""}
          />
          <TextField label="Currency" name="currency" hint="ISO 4217, e.g. USD" defaultValue={product?.currency ?? "USD"} error={problems.fields.currency} />
        </div>
        <TextField label="Stock" name="stock" inputMode="numeric" hint="Units available" defaultValue={product?.stock ?? 1} error={problems.fields.stock} />
        <TextField label="Categories" name="categories" hint="Comma-separated, up to 10" defaultValue={product?.categories.join(", ")} error={problems.fields.categories} />
        <div className="actions">
          <button type="submit" disabled={pending}>{product ? "Save product" : "Create product"}</button>
        </div>
      </fieldset>
    </form>
  );
}
