import { Link, useNavigate } from "react-router";
import { useSession } from "../../app/session.tsx";
import { Pager, useCursorPages } from "../../components/paging.tsx";
import { QueryError } from "../../components/QueryError.tsx";
import { formatMoney } from "../../lib/money.ts";
import { type Product, useProducts } from "../shop/useShop.ts";
import { OnboardForm } from "./OnboardForm.tsx";
import { ProductForm } from "./ProductForm.tsx";
import { useProductMutations } from "./useSeller.ts";
import { TableBox } from "../../components/TableBox.tsx";

const PAGE_SIZE = 20;

/** The seller area: become a seller, then the store's products and a form for a new one. */
export function SellerScreen() {
  const { user } = useSession();
  return (
    <section aria-labelledby="seller-title">
      <h1 id="seller-title">Your store</h1>
      {user?.role === "seller" ? (
        <Store sellerId={user.user_id} />
      ) : user?.role === "admin" ? (
        <p className="empty">Admins moderate the marketplace and do not sell.</p>
      ) : (
        <OnboardForm />
      )}
    </section>
  );
}

function Store({ sellerId }: { sellerId: string }) {
  const navigate = useNavigate();
  const pages = useCursorPages(sellerId);
  // The catalog filtered to this seller: their active products (archived ones leave the catalog).
  const list = useProducts({ seller: sellerId, sort: "-created_at", limit: PAGE_SIZE, cursor: pages.cursor });
  const { create, archive } = useProductMutations();

  const onArchive = (product: Product) => {
    if (window.confirm(`Archive “${product.name}”? It leaves the shop; orders keep their copy.`)) archive.mutate({ id: product.id });
  };

  return (
    <div className="columns">
      <div className="main-column">
        <p><Link to="/seller/orders">Orders for your products</Link></p>
        <h2>Products</h2>
        <QueryError error={list.error ?? archive.error} />
        {list.isPending && <p role="status">Loading your products…</p>}
        {list.data && list.data.items.length === 0 && <p className="empty">No products yet: create your first one.</p>}
        {list.data && list.data.items.length > 0 && (
          <TableBox label="Your products">
            <table className="list">
              <caption className="visually-hidden">Your products</caption>
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col">Price</th>
                  <th scope="col">Stock</th>
                  <th scope="col">Images</th>
                  <th scope="col"><span className="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((product) => (
                  <tr key={product.id}>
                    <th scope="row"><Link to={`/seller/products/${product.id}`}>{product.name}</Link></th>
                    <td>{formatMoney(product.price_cents, product.currency)}</td>
                    <td>{product.stock}</td>
                    <td>{product.images.length}</td>
                    <td className="row-actions">
                      <button type="button" className="danger" aria-label={`Archive ${product.name}`} onClick={() => onArchive(product)}>Archive</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableBox>
        )}
        <Pager what="your products" pages={pages} nextCursor={list.data?.next_cursor} />
      </div>
      <aside className="side-column">
        <ProductForm
          error={create.error}
          pending={create.isPending}
          onSave={(values) =>
            create.mutateAsync(values).then(({ data: product }) => navigate(`/seller/products/${product.id}`, { state: { notice: "Product created. Add its images here." } }))}
        />
      </aside>
    </div>
  );
}
