import { Readable } from "node:stream";
import { AppError } from "../../envelope.ts";
import { createCaller } from "../../root.ts";
import { authorizeImageUpload, productForUpload, storeImage } from "../../router/products/images.handler.ts";
import type { Services } from "../../services/index.ts";
import { type Context, createContext } from "../../trpc.ts";
import { DEMO_BUYER, DEMO_PRODUCTS, DEMO_SELLER } from "./catalog.ts";
import { productPicture } from "./png.ts";

export interface SeedReport {
  sellerId: string;
  buyerId: string;
  productsCreated: number;
  imagesCreated: number;
  products: number;
}

const contextFor = (services: Services, authorization?: string): Context =>
  createContext(services, { requestId: "seed", clientAddress: "seed", authorization });

const conflict = (error: unknown) => error instanceof AppError && (error.appCode === "USERNAME_EXISTS" || error.appCode === "EMAIL_EXISTS");

/** The account, registered unless it exists, signed in: its context and id. */
async function account(services: Services, input: { username: string; email: string; password: string; full_name: string }) {
  const anonymous = createCaller(contextFor(services));
  await anonymous.auth.register({ ...input, gender: "prefer_not_to_say" }).catch((error: unknown) => {
    if (!conflict(error)) throw error;
  });
  // A changed password makes this fail (INVALID_CREDENTIALS): the seed never overwrites an account.
  const { access_token } = (await anonymous.auth.token({ username: input.username, password: input.password })).data;
  const context = contextFor(services, `Bearer ${access_token}`);
  const { user_id } = (await createCaller(context).auth.me()).data;
  return { context, id: user_id };
}

/**
 * `npm run seed`: a demo seller with a dozen products, each with a picture drawn now, and a demo buyer. Everything
 * goes through the router (createCaller) and the image upload's own steps and storage, as a client's calls would.
 * Idempotent: what exists (accounts, the seller role, products by name, a product's picture) is left as it is.
 */
export async function seed(services: Services): Promise<SeedReport> {
  const seller = await account(services, DEMO_SELLER);
  const buyer = await account(services, DEMO_BUYER);
  const asSeller = createCaller(seller.context);
  if ((await asSeller.auth.me()).data.role !== "seller") await asSeller.seller.onboard({ store_name: DEMO_SELLER.store_name });

  const existing = (await asSeller.products.list({ seller: seller.id, limit: 100 })).data.items;
  let productsCreated = 0;
  let imagesCreated = 0;
  for (const [index, demo] of DEMO_PRODUCTS.entries()) {
    let product = existing.find((item) => item.name === demo.name);
    if (!product) {
      product = (await asSeller.products.create(demo)).data;
      productsCreated++;
    }
    if (product.images.length > 0) continue;
    const uploader = await authorizeImageUpload(seller.context);
    const { id } = await productForUpload(seller.context, uploader, product.id);
    await storeImage(seller.context, id, Readable.from([productPicture(index)]));
    imagesCreated++;
  }
  return { sellerId: seller.id, buyerId: buyer.id, productsCreated, imagesCreated, products: DEMO_PRODUCTS.length };
}
