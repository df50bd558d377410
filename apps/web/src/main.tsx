import { TRPCProvider } from "@tessera/sdk/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter } from "react-router";
import { RouterProvider } from "react-router/dom";
import { routes } from "./app/routes.tsx";
import { SessionProvider } from "./app/session.tsx";
import { tessera } from "./app/tessera.ts";
import "./styles.css";

// Lists stay fresh through the live subscriptions and explicit invalidation, not by refetching on focus.
const queryClient = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false, retry: false } } });
const router = createBrowserRouter(routes);

// TRPCProvider (the SDK's React entry) gives every screen `useTRPC()`: query options and keys of each procedure,
// sent through the app's one client.
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={tessera} queryClient={queryClient}>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </TRPCProvider>
    </QueryClientProvider>
  </StrictMode>,
);
