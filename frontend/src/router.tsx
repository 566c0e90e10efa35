import { AppShell, Badge, Button, Center, Group, Loader, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import {
  createRootRoute,
  createRoute,
  createRouter,
  Link,
  Outlet,
  redirect,
  useNavigate,
  useRouterState,
} from "@tanstack/react-router";
import { type ReactNode, useEffect } from "react";
import { useSession } from "./auth/SessionContext";
import { signOut } from "./auth/session";
import { ConnectionIndicator } from "./components/ConnectionIndicator";
import { MAIN_ID, SkipLink } from "./components/SkipLink";
import { humanize } from "./lib/money";
import { CustomerListPage } from "./pages/CustomerListPage";
import { LoginPage } from "./pages/LoginPage";
import { CustomerDetailPage, ImportPage } from "./pages/lazyPages";
import { parseListSearch } from "./pages/listSearch";
import { NotFoundPage } from "./pages/NotFoundPage";

function SignedIn({ children }: { children: ReactNode }) {
  const { session, loading, setSession } = useSession();
  const navigate = useNavigate();
  const location = useRouterState({ select: (state) => state.location.href });

  useEffect(() => {
    if (!loading && session === null && !location.startsWith("/login")) {
      void navigate({ to: "/login", search: { redirect: location } });
    }
  }, [loading, session, navigate, location]);

  if (loading || session === null) {
    return (
      <Center mih="50vh">
        <Loader aria-label="Checking your session" />
      </Center>
    );
  }
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Title order={2} size="h4">
            <Link to="/customers" search={{}} style={{ color: "inherit", textDecoration: "none" }}>
              customer_graph
            </Link>
          </Title>
          <Group>
            <ConnectionIndicator />
            <Text size="sm" data-testid="viewer-name" visibleFrom="sm">
              {session.user.name}
            </Text>
            <Badge variant="light" visibleFrom="sm">
              {humanize(session.user.role)}
            </Badge>
            <Button
              variant="subtle"
              size="xs"
              onClick={async () => {
                try {
                  await signOut();
                  setSession(null);
                } catch (failure) {
                  notifications.show({
                    color: "red",
                    title: "Sign out failed",
                    message: failure instanceof Error ? failure.message : "Try again.",
                  });
                }
              }}
            >
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main id={MAIN_ID}>{children}</AppShell.Main>
    </AppShell>
  );
}

const rootRoute = createRootRoute({
  component: () => (
    <>
      <SkipLink />
      <Outlet />
    </>
  ),
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/login",
  validateSearch: (raw: Record<string, unknown>): { redirect?: string | undefined } => ({
    redirect:
      typeof raw.redirect === "string" && raw.redirect.startsWith("/") ? raw.redirect : undefined,
  }),
  component: function Login() {
    const { redirect: target } = loginRoute.useSearch();
    const navigate = useNavigate();
    return <LoginPage onSignedIn={() => void navigate({ to: target ?? "/customers" })} />;
  },
});

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/",
  beforeLoad: () => {
    throw redirect({ to: "/customers", search: {} });
  },
});

const customersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/customers",
  validateSearch: parseListSearch,
  component: function Customers() {
    return (
      <SignedIn>
        <CustomerListPage search={customersRoute.useSearch()} />
      </SignedIn>
    );
  },
});

const customerRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/customers/$customerId",
  component: function Customer() {
    const { customerId } = customerRoute.useParams();
    return (
      <SignedIn>
        <CustomerDetailPage customerId={customerId} />
      </SignedIn>
    );
  },
});

const importRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/import",
  component: function Import() {
    return (
      <SignedIn>
        <ImportPage />
      </SignedIn>
    );
  },
});

export const router = createRouter({
  routeTree: rootRoute.addChildren([
    loginRoute,
    indexRoute,
    customersRoute,
    customerRoute,
    importRoute,
  ]),
  defaultNotFoundComponent: () => <NotFoundPage />,
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
