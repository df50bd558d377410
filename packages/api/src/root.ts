import { adminRouter } from "./router/admin/index.ts";
import { authRouter } from "./router/auth/index.ts";
import { categoriesRouter } from "./router/categories/index.ts";
import { dataRouter } from "./router/data/index.ts";
import { productsRouter } from "./router/products/index.ts";
import { sellerRouter } from "./router/seller/index.ts";
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
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
