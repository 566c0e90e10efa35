import { type ComponentProps, lazy, Suspense } from "react";
import { LoadFailure } from "../../components/LoadFailure";
import type { CustomerFigures as Figures } from "./CustomerFigures";

/** The charts and their library load after the customer's page, not with the app. */
const LoadedFigures = lazy(async () => ({
  default: (await import("./figuresChunk")).CustomerFigures,
}));

export function CustomerFigures(props: ComponentProps<typeof Figures>) {
  return (
    <LoadFailure what="The figures">
      <Suspense fallback={<div aria-busy="true" style={{ minHeight: 120 }} />}>
        <LoadedFigures {...props} />
      </Suspense>
    </LoadFailure>
  );
}
