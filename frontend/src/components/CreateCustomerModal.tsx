import { Alert, Button, Group, Modal, Select, Stack, TagsInput, TextInput } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useMutation } from "urql";
import { graphql } from "../gql";
import type { CreateCustomerInput } from "../gql/graphql";
import { errorsByField } from "./userErrors";

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

const EMPTY = {
  name: "",
  customerNumber: "",
  kind: "COMPANY",
  segment: "SMB",
  email: "",
  phone: "",
  street1: "",
  street2: "",
  city: "",
  region: "",
  postalCode: "",
  country: "",
  sharedFolderUrl: "",
  vatId: "",
  taxId: "",
  notes: "",
};

type Form = typeof EMPTY;

const optional = (value: string): string | undefined => (value.trim() ? value.trim() : undefined);

export interface UserOption {
  value: string;
  label: string;
}

export function CreateCustomerModal({
  opened,
  onClose,
  onCreated,
  users,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
  /** Who may be owner or manager; left empty, both are whoever adds the customer. */
  users: UserOption[];
}) {
  const [form, setForm] = useState<Form>(EMPTY);
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [managerId, setManagerId] = useState<string | null>(null);
  const [tags, setTags] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [{ fetching }, create] = useMutation(CreateCustomer);

  const field = (name: keyof Form) => ({
    value: form[name],
    onChange: (event: { currentTarget: { value: string } }) =>
      setForm({ ...form, [name]: event.currentTarget.value }),
  });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input: CreateCustomerInput = {
      name: form.name,
      customerNumber: optional(form.customerNumber),
      kind: form.kind as "COMPANY" | "INDIVIDUAL",
      segment: form.segment as "ENTERPRISE" | "SMB" | "STARTUP",
      email: optional(form.email),
      phone: optional(form.phone),
      address: {
        street1: optional(form.street1),
        street2: optional(form.street2),
        city: optional(form.city),
        region: optional(form.region),
        postalCode: optional(form.postalCode),
        country: optional(form.country),
      },
      sharedFolderUrl: optional(form.sharedFolderUrl),
      vatId: optional(form.vatId),
      taxId: optional(form.taxId),
      notes: optional(form.notes),
      tags,
      ownerId: ownerId ?? undefined,
      managerId: managerId ?? undefined,
    };
    const result = await create({ input });
    if (result.error) {
      setErrors({ "": result.error.message });
      return;
    }
    const payload = result.data?.createCustomer;
    if (payload?.customer) {
      setForm(EMPTY);
      setTags([]);
      setOwnerId(null);
      setManagerId(null);
      setErrors({});
      onCreated(payload.customer.id);
    } else {
      setErrors(errorsByField(payload?.userErrors ?? []));
    }
  }

  const errorOf = (path: string) => errors[path];
  return (
    <Modal opened={opened} onClose={onClose} title="Add customer" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          {errors[""] && (
            <Alert color="red" role="alert">
              {errors[""]}
            </Alert>
          )}
          <TextInput
            label="Name"
            required
            data-autofocus
            {...field("name")}
            error={errorOf("name")}
          />
          <Group grow>
            <TextInput
              label="Customer ID"
              description="Leave empty for the next free number"
              {...field("customerNumber")}
              error={errorOf("customerNumber")}
            />
            <Select
              label="Type"
              data={[
                { value: "COMPANY", label: "Company" },
                { value: "INDIVIDUAL", label: "Individual" },
              ]}
              value={form.kind}
              onChange={(value) => setForm({ ...form, kind: value ?? "COMPANY" })}
              allowDeselect={false}
            />
            <Select
              label="Segment"
              data={[
                { value: "ENTERPRISE", label: "Enterprise" },
                { value: "SMB", label: "SMB" },
                { value: "STARTUP", label: "Startup" },
              ]}
              value={form.segment}
              onChange={(value) => setForm({ ...form, segment: value ?? "SMB" })}
              allowDeselect={false}
            />
          </Group>
          <Group grow>
            <Select
              label="Owner"
              placeholder="Me"
              data={users}
              value={ownerId}
              onChange={setOwnerId}
              searchable
              clearable
              error={errorOf("ownerId")}
            />
            <Select
              label="Account manager"
              placeholder="Me"
              data={users}
              value={managerId}
              onChange={setManagerId}
              searchable
              clearable
              error={errorOf("managerId")}
            />
          </Group>
          <Group grow>
            <TextInput label="Email" type="email" {...field("email")} error={errorOf("email")} />
            <TextInput label="Phone" {...field("phone")} error={errorOf("phone")} />
          </Group>
          <TextInput
            label="Street line 1"
            {...field("street1")}
            error={errorOf("address.street1")}
          />
          <TextInput
            label="Street line 2"
            {...field("street2")}
            error={errorOf("address.street2")}
          />
          <Group grow>
            <TextInput label="City" {...field("city")} error={errorOf("address.city")} />
            <TextInput label="Region" {...field("region")} error={errorOf("address.region")} />
          </Group>
          <Group grow>
            <TextInput
              label="Postal code"
              {...field("postalCode")}
              error={errorOf("address.postalCode")}
            />
            <TextInput
              label="Country"
              description="Two letters, such as US"
              {...field("country")}
              error={errorOf("address.country")}
            />
          </Group>
          <TextInput
            label="Shared folder"
            {...field("sharedFolderUrl")}
            error={errorOf("sharedFolderUrl")}
          />
          <Group grow>
            <TextInput label="VAT ID" {...field("vatId")} error={errorOf("vatId")} />
            <TextInput label="Tax ID" {...field("taxId")} error={errorOf("taxId")} />
          </Group>
          <TagsInput label="Tags" value={tags} onChange={setTags} error={errorOf("tags")} />
          <TextInput label="Notes" {...field("notes")} error={errorOf("notes")} />
          <Group justify="end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={fetching}>
              Add
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
