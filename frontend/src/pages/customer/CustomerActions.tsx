import { Alert, Button, Group, List, Modal, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { useMutation } from "urql";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { EditCustomerModal } from "../../components/EditCustomerModal";
import { graphql } from "../../gql";
import { friendlyError } from "../../lib/friendlyError";
import { plural } from "../../lib/labels";
import type { Customer } from "./types";

const Deactivate = graphql(`
  mutation DeactivateCustomer($input: CustomerLifecycleInput!) {
    deactivateCustomer(input: $input) {
      customer { id status version }
      cascade { sitesDeactivated contractsCancelled workOrdersCancelled tasksCancelled }
      userErrors { field code message }
    }
  }
`);
const Reactivate = graphql(`
  mutation ReactivateCustomer($input: CustomerLifecycleInput!) {
    reactivateCustomer(input: $input) { customer { id status version } userErrors { code message } }
  }
`);
const Archive = graphql(`
  mutation ArchiveCustomer($input: CustomerLifecycleInput!) {
    archiveCustomer(input: $input) { customer { id isArchived version } userErrors { code message } }
  }
`);
const Unarchive = graphql(`
  mutation UnarchiveCustomer($input: CustomerLifecycleInput!) {
    unarchiveCustomer(input: $input) { customer { id isArchived version } userErrors { code message } }
  }
`);
const Delete = graphql(`
  mutation DeleteCustomer($input: DeleteCustomerInput!) {
    deleteCustomer(input: $input) { deletedCustomerId userErrors { code message } }
  }
`);

/** Edit, deactivate (after saying what it cancels), reactivate, archive, delete. */
export function CustomerActions({
  customer,
  onChanged,
}: {
  customer: Customer;
  onChanged: () => void;
}) {
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [confirmDeactivate, setConfirmDeactivate] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [, deactivate] = useMutation(Deactivate);
  const [, reactivate] = useMutation(Reactivate);
  const [, archive] = useMutation(Archive);
  const [, unarchive] = useMutation(Unarchive);
  const [, remove] = useMutation(Delete);

  const input = { id: customer.id, expectedVersion: customer.version };
  const reportErrors = (errors: readonly { message: string }[] | undefined) =>
    setActionError(errors?.length ? errors.map((error) => error.message).join(" ") : null);
  const impact = customer.deactivationImpact;

  async function runDeactivate() {
    const outcome = await deactivate({ input });
    setConfirmDeactivate(false);
    const payload = outcome.data?.deactivateCustomer;
    reportErrors(payload?.userErrors);
    if (payload?.cascade) {
      const c = payload.cascade;
      notifications.show({
        title: "Customer deactivated",
        message: `${c.sitesDeactivated} sites deactivated, ${c.contractsCancelled} contracts, ${c.workOrdersCancelled} work orders and ${c.tasksCancelled} tasks cancelled.`,
      });
    }
    onChanged();
  }

  async function runDelete(): Promise<string | null> {
    const outcome = await remove({ input: { id: customer.id } });
    if (outcome.error) return friendlyError(outcome.error, `${customer.name} was not deleted`);
    const payload = outcome.data?.deleteCustomer;
    if (!payload?.deletedCustomerId) {
      return payload?.userErrors.map((error) => error.message).join(" ") || "Nothing was deleted.";
    }
    notifications.show({
      title: "Customer deleted",
      message: `${customer.name} (${customer.customerNumber}) was deleted.`,
    });
    void navigate({ to: "/customers", search: {} });
    return null;
  }

  if (!customer.viewerCanEdit) {
    return null;
  }
  return (
    <Stack align="end" gap="xs">
      <Group>
        <Button onClick={() => setEditing(true)}>Edit</Button>
        {customer.status === "ACTIVE" ? (
          <Button color="red" variant="light" onClick={() => setConfirmDeactivate(true)}>
            Deactivate
          </Button>
        ) : (
          <Button
            variant="light"
            onClick={async () =>
              reportErrors((await reactivate({ input })).data?.reactivateCustomer.userErrors)
            }
          >
            Reactivate
          </Button>
        )}
        {customer.isArchived ? (
          <Button
            variant="default"
            onClick={async () =>
              reportErrors((await unarchive({ input })).data?.unarchiveCustomer.userErrors)
            }
          >
            Unarchive
          </Button>
        ) : (
          <Button
            variant="default"
            onClick={async () =>
              reportErrors((await archive({ input })).data?.archiveCustomer.userErrors)
            }
          >
            Archive
          </Button>
        )}
        {customer.viewerCanDelete && (
          <Button color="red" variant="subtle" onClick={() => setConfirmDelete(true)}>
            Delete
          </Button>
        )}
      </Group>
      {actionError && (
        <Alert color="red" role="alert" withCloseButton onClose={() => setActionError(null)}>
          {actionError}
        </Alert>
      )}
      <EditCustomerModal
        customer={customer}
        opened={editing}
        onClose={() => setEditing(false)}
        onReload={onChanged}
      />
      <ConfirmDialog
        opened={confirmDelete}
        title={`Delete ${customer.name}?`}
        confirmLabel="Delete customer"
        onConfirm={runDelete}
        onClose={() => setConfirmDelete(false)}
      >
        <Text>
          {customer.name} ({customer.customerNumber}), with its contacts and tags, will be deleted
          for good. This cannot be undone.
        </Text>
        <Text size="sm" c="dimmed">
          A customer that sites, contracts, orders or other records refer to cannot be deleted:
          archive it instead.
        </Text>
      </ConfirmDialog>
      <Modal
        opened={confirmDeactivate}
        onClose={() => setConfirmDeactivate(false)}
        title="Deactivate customer?"
      >
        <Stack>
          <Text>Deactivating {customer.name} will also:</Text>
          <List>
            <List.Item>deactivate {plural(impact.sitesDeactivated, "site")}</List.Item>
            <List.Item>cancel {plural(impact.contractsCancelled, "contract")}</List.Item>
            <List.Item>cancel {plural(impact.workOrdersCancelled, "open work order")}</List.Item>
            <List.Item>cancel {plural(impact.tasksCancelled, "task")}</List.Item>
          </List>
          <Text size="sm" c="dimmed">
            Reactivating later restores the customer, not what was cancelled.
          </Text>
          <Group justify="end">
            <Button variant="default" onClick={() => setConfirmDeactivate(false)}>
              Keep active
            </Button>
            <Button color="red" onClick={runDeactivate}>
              Deactivate
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
