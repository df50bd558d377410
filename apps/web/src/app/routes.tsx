import { Navigate, type RouteObject } from "react-router";
import { AdminUsersScreen } from "../screens/admin/AdminUsersScreen.tsx";
import { LoginScreen } from "../screens/auth/LoginScreen.tsx";
import { RegisterScreen } from "../screens/auth/RegisterScreen.tsx";
import { DataScreen } from "../screens/data/DataScreen.tsx";
import { NotFoundScreen } from "../screens/NotFoundScreen.tsx";
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
      {
        element: <RequireUser />,
        children: [
          { path: "tasks", element: <TasksScreen /> },
          { path: "data", element: <DataScreen /> },
          { element: <RequireAdmin />, children: [{ path: "admin/users", element: <AdminUsersScreen /> }] },
        ],
      },
      { path: "*", element: <NotFoundScreen /> },
    ],
  },
];
