import { Center, Loader } from "@mantine/core";
import { type ComponentType, lazy, Suspense } from "react";
import { LoadFailure } from "../components/LoadFailure";

/**
 * A page whose code loads when it is first shown, so that the first load carries only the
 * app's frame, the sign-in and the customer list. While it loads, a spinner holds its place.
 */
function lazyPage<Props extends object>(
  what: string,
  label: string,
  load: () => Promise<ComponentType<Props>>,
): ComponentType<Props> {
  const Page = lazy(async () => ({ default: await load() }));
  return function LazyPage(props: Props) {
    return (
      <LoadFailure what={what}>
        <Suspense
          fallback={
            <Center mih="30vh">
              <Loader aria-label={label} />
            </Center>
          }
        >
          <Page {...props} />
        </Suspense>
      </LoadFailure>
    );
  };
}

export const CustomerDetailPage = lazyPage(
  "The customer's page",
  "Loading customer",
  async () => (await import("./CustomerDetailPage")).CustomerDetailPage,
);

export const ImportPage = lazyPage(
  "The import page",
  "Loading import",
  async () => (await import("./ImportPage")).ImportPage,
);
