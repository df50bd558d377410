import { adminRouter } from "./router/admin/index.ts";
import { authRouter } from "./router/auth/index.ts";
import { cartRouter } from "./router/cart/index.ts";
import { categoriesRouter } from "./router/categories/index.ts";
import { checkoutRouter } from "./router/checkout/index.ts";
import { dataRouter } from "./router/data/index.ts";
import { ordersRouter } from "./router/orders/index.ts";
import { paymentsRouter } from "./router/payments/index.ts";
import { productsRouter } from "./router/products/index.ts";
import { sellerRouter } from "./router/seller/index.ts";
import { sellerOrdersRouter } from "./router/seller-orders/index.ts";
import { tasksRouter } from "./router/tasks/index.ts";
import { createCallerFactory, router } from "./trpc.ts";

export const appRouter = router({
  auth: authRouter,
  data: dataRouter,
  tasks: tasksRouter,
  admin: adminRouter,
  seller: sellerRouter,
  products: productsRouter,
  categories: categoriesRouter,
  cart: cartRouter,
  checkout: checkoutRouter,
  payments: paymentsRouter,
  orders: ordersRouter,
  sellerOrders: sellerOrdersRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
