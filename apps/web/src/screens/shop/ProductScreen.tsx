import { useState } from "react";
import { Link, useParams } from "react-router";
import { useSession } from "../../app/session.tsx";
import { QueryError } from "../../components/QueryError.tsx";
import { formatMoney } from "../../lib/money.ts";
import { AddToCartForm } from "./AddToCartForm.tsx";
import { type Product, useProduct } from "./useShop.ts";

export function ProductScreen() {
  const { productId = "" } = useParams();
  const product = useProduct(productId);
  if (product.isPending) return <p role="status">Loading the product…</p>;
  if (!product.data) {
    return (
      <section aria-labelledby="product-title">
        <h1 id="product-title">Product</h1>
        <QueryError error={product.error} />
        <p><Link to="/shop">Back to the shop</Link></p>
      </section>
    );
  }
  return <ProductDetails product={product.data} />;
}

function ProductDetails({ product }: { product: Product }) {
  const { user, status } = useSession();
  const own = user?.user_id === product.seller.user_id;
  return (
    <section aria-labelledby="product-title" className="product-page">
      <p><Link to="/shop">← All products</Link></p>
      <div className="columns">
        <Gallery product={product} />
        <aside className="side-column panel">
          <h1 id="product-title">{product.name}</h1>
          <p className="store">Sold by {product.seller.store_name ?? "a seller"}</p>
          <p className="price big">{formatMoney(product.price_cents, product.currency)}</p>
          <p className={product.stock > 0 ? "in-stock" : "badge stock-out"}>{product.stock > 0 ? `${product.stock} in stock` : "Out of stock"}</p>
          {product.status === "archived" && <p className="badge stock-out">Archived: not in the shop</p>}
          {own ? (
            <p>This is your product. <Link to={`/seller/products/${product.id}`}>Edit it in your store</Link></p>
          ) : user ? (
            <AddToCartForm product={product} />
          ) : status === "signed-out" ? (
            <p><Link to={`/login?next=${encodeURIComponent(`/shop/${product.id}`)}`}>Sign in to buy</Link></p>
          ) : null}
          {product.categories.length > 0 && (
            <ul className="tags" aria-label="Categories">
              {product.categories.map((category) => <li key={category}><Link to={`/shop?category=${encodeURIComponent(category)}`}>{category}</Link></li>)}
            </ul>
          )}
        </aside>
      </div>
      {product.description && <p className="product-description">{product.description}</p>}
    </section>
  );
}

/** The chosen image large, and every image as a button that chooses it. */
function Gallery({ product }: { product: Product }) {
  const [chosen, setChosen] = useState(0);
  const images = product.images;
  const shown = images[Math.min(chosen, images.length - 1)];
  if (!shown) return <div className="gallery"><div className="photo placeholder">No images yet</div></div>;
  return (
    <div className="gallery">
      <img className="photo" src={shown.url} alt={`${product.name}, image ${images.indexOf(shown) + 1} of ${images.length}`} />
      {images.length > 1 && (
        <ul className="thumbs" aria-label="Images">
          {images.map((image, index) => (
            <li key={image.image_id}>
              <button type="button" className="thumb-button" aria-pressed={image === shown} aria-label={`Show image ${index + 1}`} onClick={() => setChosen(index)}>
                <img src={image.url} alt="" />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
