import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMediaQuery } from "@mantine/hooks";
import { type ReactNode, useEffect, useMemo, useState } from "react";
import { exampleAmount } from "../../lib/amounts";
import type { UserErrorValue } from "../userErrors";
import {
  errorsOnFields,
  type FieldSpec,
  fieldsOf,
  normalize,
  type Row,
  type Values,
  validate,
} from "./spec";
import { UserPicker } from "./UserPicker";

const locale = () => (typeof navigator === "undefined" ? undefined : navigator.language);

/**
 * A record's form in a window, laid out and checked from its field specs (@mantine/form
 * holds the values): required fields, dates and amounts in the user's locale are checked
 * before sending; the userErrors the server answers show on their fields.
 *
 * ``onSubmit`` gets the normalized values and answers the userErrors (none: saved, the
 * window closes; ``false``: not saved, the caller shows why in ``notice``). The form starts from ``initial`` when it opens, and again whenever
 * ``resetKey`` changes (a reload after a conflict).
 */
export function SpecFormModal({
  title,
  opened,
  rows,
  initial,
  resetKey,
  onClose,
  onSubmit,
  submitLabel = "Save",
  size = "md",
  notice,
}: {
  title: string;
  opened: boolean;
  rows: readonly Row[];
  initial: Values;
  resetKey?: unknown;
  onClose: () => void;
  /** The userErrors; none: saved. ``false``: not saved, and the caller says why. */
  onSubmit: (values: Values) => Promise<readonly UserErrorValue[] | false>;
  submitLabel?: string;
  size?: string;
  notice?: ReactNode;
}) {
  const fields = useMemo(() => fieldsOf(rows), [rows]);
  const form = useForm<Values>({
    mode: "controlled",
    initialValues: initial,
    validate: (values) => validate(fields, values, locale()),
  });
  const narrow = useMediaQuery("(max-width: 48em)");
  const [general, setGeneral] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  // Start from the record as it is when the window opens (or after a reload); a live
  // update meanwhile must not overwrite what the person is typing.
  useEffect(() => {
    if (opened) {
      form.setInitialValues(initial);
      form.setValues(initial);
      form.clearErrors();
      setGeneral(null);
    }
  }, [opened, resetKey]);

  function focusFirstError() {
    window.requestAnimationFrame(() => {
      const invalid = document.querySelector<HTMLElement>(
        ".mantine-Modal-content [aria-invalid='true']",
      );
      invalid?.focus();
    });
  }

  const submit = form.onSubmit(
    async (values) => {
      setPending(true);
      setGeneral(null);
      try {
        const userErrors = await onSubmit(normalize(fields, values, locale()));
        if (userErrors === false) {
          form.clearErrors();
          return;
        }
        if (userErrors.length === 0) {
          onClose();
          return;
        }
        const { "": whole, ...onFields } = errorsOnFields(fields, userErrors);
        form.setErrors(onFields);
        setGeneral(whole ?? null);
        focusFirstError();
      } finally {
        setPending(false);
      }
    },
    () => focusFirstError(),
  );

  function input(field: FieldSpec): ReactNode {
    const common = {
      label: field.label,
      description: field.description,
      placeholder: field.placeholder,
      withAsterisk: field.required ?? false,
    };
    switch (field.kind) {
      case "checkbox":
        return (
          <Checkbox
            key={field.name}
            label={field.label}
            {...form.getInputProps(field.name, { type: "checkbox" })}
          />
        );
      case "select":
        return (
          <Select
            key={field.name}
            {...common}
            data={field.options}
            allowDeselect={false}
            {...form.getInputProps(field.name)}
          />
        );
      case "tags":
        return <TagsInput key={field.name} {...common} {...form.getInputProps(field.name)} />;
      case "textarea":
        return (
          <Textarea
            key={field.name}
            {...common}
            autosize
            minRows={2}
            maxRows={8}
            {...form.getInputProps(field.name)}
          />
        );
      case "user": {
        const props = form.getInputProps(field.name);
        return (
          <UserPicker
            key={field.name}
            label={field.label}
            description={field.description}
            placeholder={field.placeholder}
            known={field.known}
            required={field.required ?? false}
            value={String(props.value ?? "")}
            onChange={(value) => form.setFieldValue(field.name, value)}
            error={props.error}
          />
        );
      }
      default:
        return (
          <TextInput
            key={field.name}
            {...common}
            type={field.kind === "date" ? "date" : field.kind === "email" ? "email" : "text"}
            inputMode={field.kind === "amount" ? "decimal" : undefined}
            placeholder={
              field.placeholder ?? (field.kind === "amount" ? exampleAmount(locale()) : undefined)
            }
            {...form.getInputProps(field.name)}
          />
        );
    }
  }

  return (
    <Modal opened={opened} onClose={onClose} title={title} size={size} fullScreen={narrow}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {notice}
          {general && (
            <Alert color="red" role="alert">
              {general}
            </Alert>
          )}
          {rows.map((row, index) => {
            if (Array.isArray(row)) {
              return (
                <SimpleGrid key={index} cols={{ base: 1, xs: row.length }}>
                  {row.map(input)}
                </SimpleGrid>
              );
            }
            if ("section" in row) {
              return (
                <Title key={row.section} order={3} size="h5" mt="xs">
                  {row.section}
                </Title>
              );
            }
            return input(row);
          })}
          <Group justify="end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={pending}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
