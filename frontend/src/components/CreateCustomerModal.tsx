import { useMemo } from "react";
import { useMutation } from "urql";
import { graphql } from "../gql";
import type { CreateCustomerInput } from "../gql/graphql";
import { friendlyError } from "../lib/friendlyError";
import { customerRows, newCustomerValues } from "./customerForm";
import { SpecFormModal } from "./form/SpecFormModal";
import { fieldsOf, inputOf } from "./form/spec";

const CreateCustomer = graphql(`
  mutation CreateCustomer($input: CreateCustomerInput!) {
    createCustomer(input: $input) {
      customer {
        id
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

/** The add form: the customer's fields, all of them; left empty, owner and manager are me. */
export function CreateCustomerModal({
  opened,
  onClose,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const rows = useMemo(() => customerRows({ creating: true }), []);
  const initial = useMemo(() => newCustomerValues(), []);
  const [, create] = useMutation(CreateCustomer);

  return (
    <SpecFormModal
      title="Add customer"
      opened={opened}
      rows={rows}
      initial={initial}
      size="lg"
      submitLabel="Add"
      onClose={onClose}
      onSubmit={async (values) => {
        const input = inputOf(fieldsOf(rows), values) as unknown as CreateCustomerInput;
        const result = await create({ input });
        if (result.error) return failed(friendlyError(result.error, "The customer was not added"));
        const payload = result.data?.createCustomer;
        if (payload?.customer) {
          onCreated(payload.customer.id);
          return [];
        }
        return payload?.userErrors ?? [];
      }}
    />
  );
}
