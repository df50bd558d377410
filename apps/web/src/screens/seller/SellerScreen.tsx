import { ACTIONS, ListTable } from "../../components/ListTable.tsx";
import { Link, useNavigate } from "react-router";
import { useSession } from "../../app/session.tsx";
import { Pager, useCursorPages } from "../../components/paging.tsx";
import { formatMoney } from "../../lib/money.ts";
import { type Product, useProducts } from "../shop/useShop.ts";
import { OnboardForm } from "./OnboardForm.tsx";
import { ProductForm } from "./ProductForm.tsx";
import { useProductMutations } from "./useSeller.ts";

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
        <ListTable
          label="Your products" list={list} error={archive.error} loading="Loading your products…"
          empty={<p className="empty">No products yet: create your first one.</p>}
          columns={["Product", "Price", "Stock", "Images", ACTIONS]}
        >
          {(items) =>
            items.map((product) => (
              <tr key={product.id}>
                <th scope="row"><Link to={`/seller/products/${product.id}`}>{product.name}</Link></th>
                <td>{formatMoney(product.price_cents, product.currency)}</td>
                <td>{product.stock}</td>
                <td>{product.images.length}</td>
                <td className="row-actions">
                  <button type="button" className="danger" aria-label={`Archive ${product.name}`} onClick={() => onArchive(product)}>Archive</button>
                </td>
              </tr>
            ))
          }
        </ListTable>
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
