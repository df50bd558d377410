import { useSearchParams } from "react-router";
import { Pager, useCursorPages } from "../../components/paging.tsx";
import { QueryError } from "../../components/QueryError.tsx";
import { useDebouncedValue } from "../../components/useDebouncedValue.ts";
import { SelectField, TextField } from "../../forms/fields.tsx";
import { SORT_OPTIONS, type ProductSort } from "./options.ts";
import { ProductGrid } from "./ProductGrid.tsx";
import { useCategories, useProducts } from "./useShop.ts";

const PAGE_SIZE = 12;

interface Filters {
  q: string;
  category: string;
  sort: string;
}

/** Search, category and sort live in the address (shareable, and Back undoes them); empty ones are left out. */
function useFilters(): [Filters, (next: Partial<Filters>) => void] {
  const [params, setParams] = useSearchParams();
  const filters: Filters = { q: params.get("q") ?? "", category: params.get("category") ?? "", sort: params.get("sort") ?? "-created_at" };
  const update = (next: Partial<Filters>) => {
    const merged = { ...filters, ...next };
    setParams(Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== "")), { replace: true });
  };
  return [filters, update];
}

export function ShopScreen() {
  const [filters, setFilters] = useFilters();
  const q = useDebouncedValue(filters.q);
  const query = { q: q || undefined, category: filters.category || undefined, sort: filters.sort as ProductSort };
  const pages = useCursorPages(JSON.stringify(query));
  const list = useProducts({ ...query, limit: PAGE_SIZE, cursor: pages.cursor });
  const categories = useCategories();
  const categoryOptions = [
    { value: "", label: "All categories" },
    ...(categories.data ?? []).map((category) => ({ value: category.name, label: `${category.name} (${category.count})` })),
  ];

  return (
    <section aria-labelledby="shop-title">
      <h1 id="shop-title">Shop</h1>
      <form className="filters" role="search" aria-label="Find products" onSubmit={(event) => event.preventDefault()}>
        <TextField label="Search products" name="q" type="search" value={filters.q} hint="Name or description" onChange={(event) => setFilters({ q: event.target.value })} />
        <SelectField label="Category" name="category" options={categoryOptions} value={filters.category} onChange={(event) => setFilters({ category: event.target.value })} />
        <SelectField label="Sort" name="sort" options={SORT_OPTIONS} value={filters.sort} onChange={(event) => setFilters({ sort: event.target.value })} />
      </form>
      <QueryError error={list.error ?? categories.error} />
      {list.isPending && <p role="status">Loading products…</p>}
      {list.data && <ProductGrid products={list.data.items} />}
      <Pager what="products" pages={pages} nextCursor={list.data?.next_cursor} />
    </section>
  );
}
