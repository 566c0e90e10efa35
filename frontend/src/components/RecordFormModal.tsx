import { Alert, Button, Checkbox, Group, Modal, Select, Stack, TextInput } from "@mantine/core";
import { type FormEvent, useEffect, useState } from "react";
import { errorsByField, type UserErrorValue } from "./userErrors";

export type FieldSpec =
  | {
      name: string;
      label: string;
      kind: "text" | "date";
      required?: boolean;
      errorPath?: string;
    }
  | { name: string; label: string; kind: "checkbox" }
  | { name: string; label: string; kind: "select"; options: { value: string; label: string }[] };

export type Values = Record<string, string | boolean>;

/** A small form for one related record; userErrors show on their fields. */
export function RecordFormModal({
  title,
  opened,
  fields,
  initial,
  onClose,
  onSubmit,
}: {
  title: string;
  opened: boolean;
  fields: FieldSpec[];
  initial: Values;
  onClose: () => void;
  onSubmit: (values: Values) => Promise<readonly UserErrorValue[]>;
}) {
  const [values, setValues] = useState<Values>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);

  useEffect(() => {
    if (opened) {
      setValues(initial);
      setErrors({});
    }
  }, [opened, initial]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    const userErrors = await onSubmit(values);
    setPending(false);
    if (userErrors.length === 0) {
      onClose();
    } else {
      setErrors(errorsByField(userErrors));
    }
  }

  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {errors[""] && (
            <Alert color="red" role="alert">
              {errors[""]}
            </Alert>
          )}
          {fields.map((field) => {
            if (field.kind === "checkbox") {
              return (
                <Checkbox
                  key={field.name}
                  label={field.label}
                  checked={values[field.name] === true}
                  onChange={(event) =>
                    setValues({ ...values, [field.name]: event.currentTarget.checked })
                  }
                />
              );
            }
            if (field.kind === "select") {
              return (
                <Select
                  key={field.name}
                  label={field.label}
                  data={field.options}
                  value={String(values[field.name] ?? "")}
                  onChange={(value) => setValues({ ...values, [field.name]: value ?? "" })}
                  allowDeselect={false}
                  error={errors[field.name]}
                />
              );
            }
            return (
              <TextInput
                key={field.name}
                label={field.label}
                type={field.kind === "date" ? "date" : "text"}
                required={field.required ?? false}
                value={String(values[field.name] ?? "")}
                onChange={(event) =>
                  setValues({ ...values, [field.name]: event.currentTarget.value })
                }
                error={errors[field.errorPath ?? field.name]}
              />
            );
          })}
          <Group justify="end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={pending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export const text = (values: Values, name: string): string | null => {
  const value = values[name];
  return typeof value === "string" && value.trim() ? value.trim() : null;
};
