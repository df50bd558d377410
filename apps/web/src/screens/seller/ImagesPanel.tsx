import { type FormEvent, useRef, useState } from "react";
import { FormAlert, TextField } from "../../forms/fields.tsx";
import { NO_PROBLEMS, toProblems } from "../../forms/problems.ts";
import { useFocusFirstInvalid } from "../../forms/useFocusFirstInvalid.ts";
import type { Product } from "../shop/useShop.ts";
import { useImageMutations } from "./useSeller.ts";

/** The API's field names, and their labels on this form. */
const FIELDS = { image: "Image file" };

/** A product's images (at most 8) with Delete buttons, and a file input to upload one more. */
export function ImagesPanel({ product }: { product: Product }) {
  const form = useRef<HTMLFormElement>(null);
  const { upload, remove } = useImageMutations(product.id);
  const [notice, setNotice] = useState<string | null>(null);
  const problems = upload.error ? toProblems(upload.error, FIELDS) : NO_PROBLEMS;
  useFocusFirstInvalid(form, upload.error);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget;
    const file = new FormData(element).get("image");
    setNotice(null);
    remove.reset();
    // No file chosen: an empty one is sent, and the API says what it wants.
    upload.mutate(file instanceof File ? file : new File([], "empty"), {
      onSuccess: () => {
        element.reset();
        setNotice("Image uploaded.");
      },
    });
  };
  const onDelete = (imageId: string, index: number) => {
    if (!window.confirm(`Delete image ${index + 1}?`)) return;
    setNotice(null);
    upload.reset();
    remove.mutate({ id: product.id, image_id: imageId }, { onSuccess: () => setNotice("Image deleted.") });
  };

  return (
    <div className="panel">
      <h2>Images</h2>
      {notice && <p role="status" className="notice">{notice}</p>}
      <FormAlert message={remove.error ? toProblems(remove.error, {}).message : null} />
      {product.images.length === 0 ? (
        <p className="empty">No images yet.</p>
      ) : (
        <ul className="image-list" aria-label="Product images">
          {product.images.map((image, index) => (
            <li key={image.image_id}>
              <img src={image.url} alt={`${product.name}, image ${index + 1}`} />
              <button type="button" className="danger" aria-label={`Delete image ${index + 1}`} onClick={() => onDelete(image.image_id, index)}>Delete</button>
            </li>
          ))}
        </ul>
      )}
      <form ref={form} onSubmit={onSubmit} noValidate aria-label="Upload an image">
        <FormAlert message={problems.message} />
        <fieldset disabled={upload.isPending}>
          <TextField label="Image file" name="image" type="file" accept="image/png,image/jpeg,image/webp" hint="PNG, JPEG or WebP, up to 5 MiB; at most 8 images" error={problems.fields.image} />
          <button type="submit">{upload.isPending ? "Uploading…" : "Upload image"}</button>
        </fieldset>
      </form>
    </div>
  );
}
