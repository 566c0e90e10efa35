import { Button, Group } from "@mantine/core";
import { useMemo, useState } from "react";
import { useMutation } from "urql";
import {
  type FieldSpec,
  RecordFormModal,
  text,
  type Values,
} from "../../components/RecordFormModal";
import type { UserErrorValue } from "../../components/userErrors";
import { graphql } from "../../gql";
import type { Customer } from "./types";

const CreateContact = graphql(`
  mutation CreateContact($input: CreateContactInput!) {
    createContact(input: $input) { contact { id } userErrors { field code message } }
  }
`);
const UpdateContact = graphql(`
  mutation UpdateContact($input: UpdateContactInput!) {
    updateContact(input: $input) {
      contact { id name title email phone isPrimary }
      userErrors { field code message }
    }
  }
`);
const RemoveContact = graphql(`
  mutation RemoveContact($input: RemoveContactInput!) {
    removeContact(input: $input) { removedContactId userErrors { field code message } }
  }
`);
const CreateSite = graphql(`
  mutation CreateSite($input: CreateSiteInput!) {
    createSite(input: $input) { site { id } userErrors { field code message } }
  }
`);
const UpdateSite = graphql(`
  mutation UpdateSite($input: UpdateSiteInput!) {
    updateSite(input: $input) {
      site { id name status address { city country } }
      userErrors { field code message }
    }
  }
`);
const RemoveSite = graphql(`
  mutation RemoveSite($input: RemoveSiteInput!) {
    removeSite(input: $input) { removedSiteId userErrors { field code message } }
  }
`);

const CONTACT_FIELDS: FieldSpec[] = [
  { name: "name", label: "Name", kind: "text", required: true },
  { name: "title", label: "Title", kind: "text" },
  { name: "email", label: "Email", kind: "text" },
  { name: "phone", label: "Phone", kind: "text" },
  { name: "isPrimary", label: "Primary contact", kind: "checkbox" },
];

const SITE_FIELDS: FieldSpec[] = [
  { name: "name", label: "Site name", kind: "text", required: true },
  {
    name: "status",
    label: "Status",
    kind: "select",
    options: [
      { value: "ACTIVE", label: "Active" },
      { value: "INACTIVE", label: "Inactive" },
    ],
  },
  { name: "city", label: "City", kind: "text", errorPath: "address.city" },
  { name: "country", label: "Country", kind: "text", errorPath: "address.country" },
];

type Contact = Customer["contacts"]["edges"][number]["node"];
type Site = Customer["sites"]["edges"][number]["node"];

interface Editing<T> {
  record: T | null;
}

const failed = (message: string): UserErrorValue[] => [{ field: null, code: "INVALID", message }];

/** Add, edit and remove the customer's contacts (new sites get their details, seed 001). */
export function useContactEditor(customer: Customer, onChanged: () => void) {
  const [editing, setEditing] = useState<Editing<Contact> | null>(null);
  const [, create] = useMutation(CreateContact);
  const [, update] = useMutation(UpdateContact);
  const [, remove] = useMutation(RemoveContact);
  const initial = useMemo<Values>(
    () => ({
      name: editing?.record?.name ?? "",
      title: editing?.record?.title ?? "",
      email: editing?.record?.email ?? "",
      phone: editing?.record?.phone ?? "",
      isPrimary: editing?.record?.isPrimary ?? false,
    }),
    [editing],
  );

  async function submit(values: Values): Promise<readonly UserErrorValue[]> {
    const fields = {
      title: text(values, "title"),
      email: text(values, "email"),
      phone: text(values, "phone"),
      isPrimary: values.isPrimary === true,
    };
    const record = editing?.record;
    const outcome = record
      ? await update({ input: { id: record.id, name: String(values.name), ...fields } })
      : await create({ input: { customerId: customer.id, name: String(values.name), ...fields } });
    if (outcome.error) return failed(outcome.error.message);
    const payload =
      outcome.data &&
      ("updateContact" in outcome.data ? outcome.data.updateContact : outcome.data.createContact);
    if (!payload?.userErrors.length) onChanged();
    return payload?.userErrors ?? [];
  }

  const modal = (
    <RecordFormModal
      title={editing?.record ? `Edit ${editing.record.name}` : "Add contact"}
      opened={editing !== null}
      fields={CONTACT_FIELDS}
      initial={initial}
      onClose={() => setEditing(null)}
      onSubmit={submit}
    />
  );
  const rowActions = (contact: Contact) => (
    <Group gap={4} wrap="nowrap">
      <Button size="compact-xs" variant="subtle" onClick={() => setEditing({ record: contact })}>
        Edit
      </Button>
      <Button
        size="compact-xs"
        variant="subtle"
        color="red"
        onClick={async () => {
          await remove({ input: { id: contact.id } });
          onChanged();
        }}
      >
        Remove
      </Button>
    </Group>
  );
  return { modal, rowActions, add: () => setEditing({ record: null }) };
}

export function useSiteEditor(customer: Customer, onChanged: () => void) {
  const [editing, setEditing] = useState<Editing<Site> | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [, create] = useMutation(CreateSite);
  const [, update] = useMutation(UpdateSite);
  const [, remove] = useMutation(RemoveSite);
  const initial = useMemo<Values>(
    () => ({
      name: editing?.record?.name ?? "",
      status: editing?.record?.status ?? "ACTIVE",
      city: editing?.record?.address.city ?? "",
      country: editing?.record?.address.country ?? "",
    }),
    [editing],
  );

  async function submit(values: Values): Promise<readonly UserErrorValue[]> {
    const status = values.status === "INACTIVE" ? "INACTIVE" : "ACTIVE";
    const address = { city: text(values, "city"), country: text(values, "country") };
    const record = editing?.record;
    const outcome = record
      ? await update({ input: { id: record.id, name: String(values.name), status, address } })
      : await create({
          input: {
            customerId: customer.id,
            name: String(values.name),
            status,
            ...(address.city || address.country ? { address } : {}),
          },
        });
    if (outcome.error) return failed(outcome.error.message);
    const payload =
      outcome.data &&
      ("updateSite" in outcome.data ? outcome.data.updateSite : outcome.data.createSite);
    if (!payload?.userErrors.length) onChanged();
    return payload?.userErrors ?? [];
  }

  const modal = (
    <RecordFormModal
      title={editing?.record ? `Edit ${editing.record.name}` : "Add site"}
      opened={editing !== null}
      fields={SITE_FIELDS}
      initial={initial}
      onClose={() => setEditing(null)}
      onSubmit={submit}
    />
  );
  const rowActions = (site: Site) => (
    <Group gap={4} wrap="nowrap">
      <Button size="compact-xs" variant="subtle" onClick={() => setEditing({ record: site })}>
        Edit
      </Button>
      <Button
        size="compact-xs"
        variant="subtle"
        color="red"
        onClick={async () => {
          const outcome = await remove({ input: { id: site.id } });
          const errors = outcome.data?.removeSite.userErrors ?? [];
          setRemoveError(errors.length ? errors.map((error) => error.message).join(" ") : null);
          onChanged();
        }}
      >
        Remove
      </Button>
    </Group>
  );
  return { modal, rowActions, removeError, add: () => setEditing({ record: null }) };
}
