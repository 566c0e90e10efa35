import { Alert, Button, Group, Modal, Stack, TagsInput, TextInput } from "@mantine/core";
import { type FormEvent, useEffect, useState } from "react";
import { useMutation } from "urql";
import { graphql } from "../gql";
import { errorsByField } from "./userErrors";

const UpdateCustomer = graphql(`
  mutation UpdateCustomer($input: UpdateCustomerInput!) {
    updateCustomer(input: $input) {
      customer {
        id
        name
        version
        email
        phone
        tags
        billingContact {
          name
          email
          phone
        }
        billingAddress {
          street1
          city
          region
          postalCode
          country
        }
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export interface EditableCustomer {
  id: string;
  version: number;
  name: string;
  email?: string | null;
  phone?: string | null;
  tags: string[];
  billingContact: { name?: string | null; email?: string | null; phone?: string | null };
  billingAddress: {
    street1?: string | null;
    city?: string | null;
    region?: string | null;
    postalCode?: string | null;
    country?: string | null;
  };
}

function formOf(customer: EditableCustomer) {
  return {
    name: customer.name,
    email: customer.email ?? "",
    phone: customer.phone ?? "",
    billingName: customer.billingContact.name ?? "",
    billingEmail: customer.billingContact.email ?? "",
    billingPhone: customer.billingContact.phone ?? "",
    billingStreet1: customer.billingAddress.street1 ?? "",
    billingCity: customer.billingAddress.city ?? "",
    billingRegion: customer.billingAddress.region ?? "",
    billingPostalCode: customer.billingAddress.postalCode ?? "",
    billingCountry: customer.billingAddress.country ?? "",
  };
}

const orNull = (value: string): string | null => (value.trim() ? value.trim() : null);

/** The edit window: name, billing contact and billing address (and contact details). */
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
  const [form, setForm] = useState(formOf(customer));
  const [tags, setTags] = useState(customer.tags);
  const [version, setVersion] = useState(customer.version);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [conflict, setConflict] = useState(false);
  const [{ fetching }, update] = useMutation(UpdateCustomer);

  const [reloading, setReloading] = useState(false);

  function startFrom(current: EditableCustomer) {
    setForm(formOf(current));
    setTags(current.tags);
    setVersion(current.version);
    setErrors({});
    setConflict(false);
  }

  // Start from the record as it is when the window opens, or after an explicit reload;
  // a live update meanwhile must not overwrite what the person is typing.
  useEffect(() => {
    if (opened) startFrom(customer);
  }, [opened]);

  useEffect(() => {
    if (reloading && customer.version !== version) {
      startFrom(customer);
      setReloading(false);
    }
  }, [reloading, customer, version]);

  const field = (name: keyof ReturnType<typeof formOf>) => ({
    value: form[name],
    onChange: (event: { currentTarget: { value: string } }) =>
      setForm({ ...form, [name]: event.currentTarget.value }),
  });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await update({
      input: {
        id: customer.id,
        expectedVersion: version,
        name: form.name,
        email: orNull(form.email),
        phone: orNull(form.phone),
        tags,
        billingContact: {
          name: orNull(form.billingName),
          email: orNull(form.billingEmail),
          phone: orNull(form.billingPhone),
        },
        billingAddress: {
          street1: orNull(form.billingStreet1),
          city: orNull(form.billingCity),
          region: orNull(form.billingRegion),
          postalCode: orNull(form.billingPostalCode),
          country: orNull(form.billingCountry),
        },
      },
    });
    if (result.error) {
      setErrors({ "": result.error.message });
      return;
    }
    const payload = result.data?.updateCustomer;
    if (payload?.customer) {
      onClose();
      return;
    }
    const userErrors = payload?.userErrors ?? [];
    setConflict(userErrors.some((error) => error.code === "CONFLICT"));
    setErrors(errorsByField(userErrors.filter((error) => error.code !== "CONFLICT")));
  }

  function reload() {
    setReloading(true);
    onReload();
  }

  const errorOf = (path: string) => errors[path];
  return (
    <Modal opened={opened} onClose={onClose} title={`Edit ${customer.name}`} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          {conflict && (
            <Alert color="orange" role="alert" title="Someone else saved this customer first">
              <Stack gap="xs">
                Your changes were not saved. Reload to see theirs, then make yours again.
                <Group>
                  <Button size="xs" onClick={reload}>
                    Reload
                  </Button>
                </Group>
              </Stack>
            </Alert>
          )}
          {errors[""] && (
            <Alert color="red" role="alert">
              {errors[""]}
            </Alert>
          )}
          <TextInput label="Name" required {...field("name")} error={errorOf("name")} />
          <Group grow>
            <TextInput label="Email" {...field("email")} error={errorOf("email")} />
            <TextInput label="Phone" {...field("phone")} error={errorOf("phone")} />
          </Group>
          <TagsInput label="Tags" value={tags} onChange={setTags} error={errorOf("tags")} />
          <Group grow>
            <TextInput
              label="Billing contact"
              {...field("billingName")}
              error={errorOf("billingContact.name")}
            />
            <TextInput
              label="Billing email"
              {...field("billingEmail")}
              error={errorOf("billingContact.email")}
            />
            <TextInput
              label="Billing phone"
              {...field("billingPhone")}
              error={errorOf("billingContact.phone")}
            />
          </Group>
          <TextInput
            label="Billing street"
            {...field("billingStreet1")}
            error={errorOf("billingAddress.street1")}
          />
          <Group grow>
            <TextInput
              label="Billing city"
              {...field("billingCity")}
              error={errorOf("billingAddress.city")}
            />
            <TextInput
              label="Billing region"
              {...field("billingRegion")}
              error={errorOf("billingAddress.region")}
            />
          </Group>
          <Group grow>
            <TextInput
              label="Billing postal code"
              {...field("billingPostalCode")}
              error={errorOf("billingAddress.postalCode")}
            />
            <TextInput
              label="Billing country"
              {...field("billingCountry")}
              error={errorOf("billingAddress.country")}
            />
          </Group>
          <Group justify="end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={fetching}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
