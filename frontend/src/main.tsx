import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Provider } from "urql";
import { SessionProvider } from "./auth/SessionContext";
import { createGraphqlClient } from "./graphql/client";
import { router } from "./router";
import { cssVariablesResolver, theme } from "./theme";

const root = document.getElementById("root");
if (root === null) {
  throw new Error("index.html has no #root");
}

createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <Notifications />
      <SessionProvider>
        <Provider value={createGraphqlClient()}>
          <RouterProvider router={router} />
        </Provider>
      </SessionProvider>
    </MantineProvider>
  </StrictMode>,
);
