/** The demo accounts and the demo seller's dozen products that `npm run seed` creates (prices in cents). */
export const DEMO_SELLER = {
  username: "demo_seller",
  email: "demo_seller@example.com",
  password: "Demo-Seller-2026!",
  full_name: "Demo Seller",
  store_name: "Tessera Demo Store",
} as const;

export const DEMO_BUYER = {
  username: "demo_buyer",
  email: "demo_buyer@example.com",
  password: "Demo-Buyer-2026!",
  full_name: "Demo Buyer",
} as const;

export interface DemoProduct {
  name: string;
  description: string;
  price_cents: number;
  stock: number;
  categories: string[];
}

export const DEMO_PRODUCTS: DemoProduct[] = [
  { name: "Stoneware Mug", description: "A 350 ml mug, glazed by hand; every one is a little different.", price_cents: 1800, stock: 40, categories: ["kitchen", "ceramics"] },
  { name: "Linen Tea Towel", description: "Washed linen, 50 × 70 cm, dries glasses without lint.", price_cents: 1250, stock: 60, categories: ["kitchen", "textiles"] },
  { name: "Walnut Cutting Board", description: "End-grain walnut, oiled, with a juice groove.", price_cents: 6400, stock: 12, categories: ["kitchen", "wood"] },
  { name: "Cast Iron Skillet", description: "26 cm, pre-seasoned, oven safe; it will outlive you.", price_cents: 5900, stock: 15, categories: ["kitchen"] },
  { name: "Beeswax Candle Pair", description: "Two hand-dipped tapers that burn for about eight hours each.", price_cents: 2200, stock: 30, categories: ["home", "candles"] },
  { name: "Wool Throw", description: "Merino and alpaca, 130 × 170 cm, in undyed natural grey.", price_cents: 11900, stock: 8, categories: ["home", "textiles"] },
  { name: "Ceramic Planter", description: "Matte white with a drainage hole and a saucer, for 12 cm pots.", price_cents: 2900, stock: 25, categories: ["home", "ceramics", "garden"] },
  { name: "Brass Desk Lamp", description: "A small lamp with an articulated arm and a fabric cable.", price_cents: 8900, stock: 6, categories: ["home", "lighting"] },
  { name: "Notebook, Dotted", description: "A5, 192 pages of 100 g paper that takes fountain pens.", price_cents: 1600, stock: 80, categories: ["stationery"] },
  { name: "Fountain Pen", description: "A steel nib in a resin body, with a converter and five cartridges.", price_cents: 4500, stock: 20, categories: ["stationery"] },
  { name: "Herb Seed Kit", description: "Basil, parsley, chives and thyme, with four biodegradable pots.", price_cents: 1400, stock: 50, categories: ["garden"] },
  { name: "Canvas Tote", description: "Heavy cotton canvas with an inside pocket; carries a week of groceries.", price_cents: 2400, stock: 45, categories: ["textiles", "bags"] },
];
