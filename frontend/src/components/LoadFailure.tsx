import { Alert, Button } from "@mantine/core";
import { Component, type ReactNode, useEffect } from "react";
import { connection, UNREACHABLE } from "../graphql/connection";

/** Words for code of the app that could not be loaded; reloads once the server answers. */
function CouldNotLoad({ what }: { what: string }) {
  useEffect(() => {
    connection.lost();
    return connection.onReconnect(() => window.location.reload());
  }, []);
  return (
    <Alert color="red" role="alert" title={`${what} could not be loaded`}>
      {UNREACHABLE}{" "}
      <Button variant="subtle" size="compact-sm" onClick={() => window.location.reload()}>
        Reload
      </Button>
    </Alert>
  );
}

/**
 * Around code that loads when first shown (a page, the charts): if its file cannot be
 * fetched, a message in words instead of a blank screen, and a reload once the server is back.
 */
export class LoadFailure extends Component<
  { what: string; children: ReactNode },
  { failed: boolean }
> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    return this.state.failed ? <CouldNotLoad what={this.props.what} /> : this.props.children;
  }
}
