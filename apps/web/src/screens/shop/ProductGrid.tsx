import { Link } from "react-router";
import { formatMoney } from "../../lib/money.ts";
import type { Product } from "./useShop.ts";

/** The catalog as cards: each one a list item whose heading links to the product's page. */
export function ProductGrid({ products }: { products: Product[] }) {
  if (products.length === 0) return <p className="empty">No products match.</p>;
  return (
    <ul className="product-grid" aria-label="Products">
      {products.map((product) => (
        <li key={product.id} className="product-card">
          <ProductImage product={product} />
          <h2><Link to={`/shop/${product.id}`}>{product.name}</Link></h2>
          <p className="store">{product.seller.store_name ?? "A seller"}</p>
          <p className="price">{formatMoney(product.price_cents, product.currency)}</p>
          {product.stock === 0 && <p className="badge stock-out">Out of stock</p>}
        </li>
      ))}
    </ul>
  );
}

/** The product's first image, or a plain placeholder; decorative here, since the card's heading names it. */
function ProductImage({ product }: { product: Product }) {
  const image = product.images[0];
  return image ? <img className="thumb" src={image.url} alt="" loading="lazy" /> : <div className="thumb placeholder" aria-hidden="true" />;
}
