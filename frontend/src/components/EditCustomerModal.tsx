import { Alert, Button, Group, Stack } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useEffect, useMemo, useState } from "react";
import { useMutation } from "urql";
import { graphql } from "../gql";
import type { UpdateCustomerInput } from "../gql/graphql";
import { friendlyError } from "../lib/friendlyError";
import { customerRows, customerValues, type EditableCustomer, knownPeople } from "./customerForm";
import { SpecFormModal } from "./form/SpecFormModal";
import { fieldsOf, inputOf, normalize } from "./form/spec";

export type { EditableCustomer } from "./customerForm";

const UpdateCustomer = graphql(`
  mutation UpdateCustomer($input: UpdateCustomerInput!) {
    updateCustomer(input: $input) {
      customer {
        id
        name
        customerNumber
        kind
        segment
        description
        version
        email
        phone
        contactTitle
        paymentTerms
        currency
        vatId
        taxId
        sharedFolderUrl
        notes
        createdOn
        tags
        owner { id name }
        manager { id name }
        address { street1 street2 city region postalCode country }
        billingContact { name email phone }
        billingAddress { street1 street2 city region postalCode country }
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

const failed = (message: string) => [{ field: null, code: "INVALID", message }];

/** The edit form: every field the add form has, only those changed are sent. */
export function EditCustomerModal({
  customer,
  opened,
  onClose,
  onReload,
}: {
  customer: EditableCustomer;
  opened: boolean;
  onClose: () => void;
  onReload: () => void;
}) {
  // The record as the form started from it: kept while a live update arrives, renewed when
  // the window opens or the person reloads after a conflict.
  const [base, setBase] = useState(customer);
  const [conflict, setConflict] = useState(false);
  const [reloading, setReloading] = useState(false);
  const [, update] = useMutation(UpdateCustomer);

  useEffect(() => {
    if (opened) {
      setBase(customer);
      setConflict(false);
    }
  }, [opened]);

  useEffect(() => {
    if (reloading && customer.version !== base.version) {
      setBase(customer);
      setConflict(false);
      setReloading(false);
    }
  }, [reloading, customer, base.version]);

  const known = useMemo(() => knownPeople(base), [base]);
  const rows = useMemo(() => customerRows({ creating: false, known }), [known]);
  const initial = useMemo(() => customerValues(base), [base]);

  return (
    <SpecFormModal
      title={`Edit ${base.name}`}
      opened={opened}
      rows={rows}
      initial={initial}
      resetKey={base.version}
      size="lg"
      onClose={onClose}
      notice={
        conflict && (
          <Alert color="orange" role="alert" title="Someone else saved this customer first">
            <Stack gap="xs">
              Your changes were not saved. Reload to see theirs, then make yours again.
              <Group>
                <Button
                  size="xs"
                  loading={reloading}
                  onClick={() => {
                    setReloading(true);
                    onReload();
                  }}
                >
                  Reload
                </Button>
              </Group>
            </Stack>
          </Alert>
        )
      }
      onSubmit={async (values) => {
        const fields = fieldsOf(rows);
        const changes = inputOf(fields, values, normalize(fields, initial));
        const input = {
          id: base.id,
          expectedVersion: base.version,
          ...changes,
        } as unknown as UpdateCustomerInput;
        const result = await update({ input });
        if (result.error) return failed(friendlyError(result.error));
        const payload = result.data?.updateCustomer;
        if (payload?.customer) {
          notifications.show({ message: `${payload.customer.name} saved.` });
          return [];
        }
        const userErrors = payload?.userErrors ?? [];
        const conflicted = userErrors.some((error) => error.code === "CONFLICT");
        setConflict(conflicted);
        const others = userErrors.filter((error) => error.code !== "CONFLICT");
        return conflicted && others.length === 0 ? false : others;
      }}
    />
  );
}
