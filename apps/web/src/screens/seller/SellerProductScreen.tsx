import { Link, useLocation, useParams } from "react-router";
import { QueryError } from "../../components/QueryError.tsx";
import { useProduct } from "../shop/useShop.ts";
import { ImagesPanel } from "./ImagesPanel.tsx";
import { ProductForm } from "./ProductForm.tsx";
import { useProductMutations } from "./useSeller.ts";

/** One of the seller's products: its images (upload, delete) and its details. */
export function SellerProductScreen() {
  const { productId = "" } = useParams();
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  const product = useProduct(productId);
  const { update } = useProductMutations();

  return (
    <section aria-labelledby="seller-product-title">
      <p><Link to="/seller">← Your store</Link></p>
      <h1 id="seller-product-title">{product.data?.name ?? "Product"}</h1>
      {notice && <p role="status" className="notice">{notice}</p>}
      <QueryError error={product.error} />
      {product.isPending && <p role="status">Loading the product…</p>}
      {product.data && (
        <div className="columns">
          <div className="main-column">
            <ImagesPanel product={product.data} />
            <p><Link to={`/shop/${product.data.id}`}>See it in the shop</Link></p>
          </div>
          <aside className="side-column">
            <ProductForm
              key={product.data.id}
              product={product.data}
              error={update.error}
              pending={update.isPending}
              onSave={(values) => update.mutateAsync({ ...values, id: productId })}
            />
            {update.isSuccess && <p role="status" className="notice">Product saved.</p>}
          </aside>
        </div>
      )}
    </section>
  );
}
