import { Navigate, type RouteObject } from "react-router";
import { AdminUsersScreen } from "../screens/admin/AdminUsersScreen.tsx";
import { LoginScreen } from "../screens/auth/LoginScreen.tsx";
import { RegisterScreen } from "../screens/auth/RegisterScreen.tsx";
import { CartScreen } from "../screens/cart/CartScreen.tsx";
import { DataScreen } from "../screens/data/DataScreen.tsx";
import { NotFoundScreen } from "../screens/NotFoundScreen.tsx";
import { OrderScreen } from "../screens/orders/OrderScreen.tsx";
import { OrdersScreen } from "../screens/orders/OrdersScreen.tsx";
import { SellerOrdersScreen } from "../screens/seller/SellerOrdersScreen.tsx";
import { SellerProductScreen } from "../screens/seller/SellerProductScreen.tsx";
import { SellerScreen } from "../screens/seller/SellerScreen.tsx";
import { ProductScreen } from "../screens/shop/ProductScreen.tsx";
import { ShopScreen } from "../screens/shop/ShopScreen.tsx";
import { TasksScreen } from "../screens/tasks/TasksScreen.tsx";
import { RequireAdmin, RequireGuest, RequireUser } from "./guards.tsx";
import { Layout } from "./Layout.tsx";

/**
 * Every screen of the app. A new screen is one entry here (under the guard it needs) and, if it should be
 * reachable from the menu, one link in Layout.tsx. The server answers every other path with this app.
 */
export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { index: true, element: <Navigate to="/tasks" replace /> },
      {
        element: <RequireGuest />,
        children: [
          { path: "login", element: <LoginScreen /> },
          { path: "register", element: <RegisterScreen /> },
        ],
      },
      // The catalog is public: anyone may browse; buying asks to sign in.
      { path: "shop", element: <ShopScreen /> },
      { path: "shop/:productId", element: <ProductScreen /> },
      {
        element: <RequireUser />,
        children: [
          { path: "tasks", element: <TasksScreen /> },
          { path: "data", element: <DataScreen /> },
          { path: "cart", element: <CartScreen /> },
          { path: "orders", element: <OrdersScreen /> },
          { path: "orders/:orderId", element: <OrderScreen /> },
          { path: "seller", element: <SellerScreen /> },
          { path: "seller/products/:productId", element: <SellerProductScreen /> },
          { path: "seller/orders", element: <SellerOrdersScreen /> },
          { element: <RequireAdmin />, children: [{ path: "admin/users", element: <AdminUsersScreen /> }] },
        ],
      },
      { path: "*", element: <NotFoundScreen /> },
    ],
  },
];
