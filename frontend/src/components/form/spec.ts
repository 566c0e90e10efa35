/**
 * The spec-driven forms: a record's fields described once (label, kind, input path), and
 * from that the form's layout, its checks before anything is sent, the input a mutation
 * takes, and where each of the server's userErrors shows.
 */
import { exampleAmount, parseAmount } from "../../lib/amounts";
import type { UserErrorValue } from "../userErrors";

export interface Option {
  value: string;
  label: string;
}

interface Common {
  /** The form's own key for the value. */
  name: string;
  label: string;
  /** Where the value goes in the mutation's input, and where its userErrors point
   * ("address.city", "value.amount"); the name when not given. */
  path?: string;
  required?: boolean;
  description?: string;
  placeholder?: string;
}

export type FieldSpec =
  | (Common & { kind: "text" | "email" | "textarea" | "date" | "amount" | "tags" })
  | (Common & { kind: "checkbox" })
  | (Common & { kind: "select"; options: Option[] })
  /** A person, searched by name as one types; ``known`` labels the ids already chosen. */
  | (Common & { kind: "user"; known?: Option[] });

/** A field, fields side by side, or a heading over the fields that follow. */
export type Row = FieldSpec | FieldSpec[] | { section: string };

export type Value = string | boolean | string[];
export type Values = Record<string, Value>;

export const fieldsOf = (rows: readonly Row[]): FieldSpec[] =>
  rows.flatMap((row) => (Array.isArray(row) ? row : "section" in row ? [] : [row]));

export const pathOf = (field: FieldSpec): string => field.path ?? field.name;

const isEmpty = (value: Value | undefined): boolean =>
  value === undefined ||
  (typeof value === "string" && value.trim() === "") ||
  (Array.isArray(value) && value.length === 0);

function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(text);
}

/** What is wrong with the values before anything is sent, by field name. */
export function validate(
  fields: readonly FieldSpec[],
  values: Values,
  locale?: string,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.kind === "checkbox") continue;
    if (isEmpty(value)) {
      if (field.required) errors[field.name] = `${field.label} is required.`;
      continue;
    }
    if (typeof value !== "string") continue;
    if (field.kind === "date" && !isDate(value.trim())) {
      errors[field.name] = "Enter a date such as 2026-03-31.";
    }
    if (field.kind === "amount" && parseAmount(value, locale) === null) {
      errors[field.name] = `Enter an amount such as ${exampleAmount(locale)}.`;
    }
  }
  return errors;
}

/** The values as a mutation takes them: text trimmed, amounts as decimals ("12500.50"). */
export function normalize(fields: readonly FieldSpec[], values: Values, locale?: string): Values {
  const result: Values = { ...values };
  for (const field of fields) {
    const value = values[field.name];
    if (typeof value !== "string") continue;
    result[field.name] =
      field.kind === "amount" && value.trim()
        ? (parseAmount(value, locale) ?? value)
        : value.trim();
  }
  return result;
}

/**
 * The server's userErrors on the fields they name: an error for `value` or `value.amount`
 * shows on the field at that path, or on the field it is part of; errors of the whole input,
 * or of a path no field shows, come under "".
 */
export function errorsOnFields(
  fields: readonly FieldSpec[],
  userErrors: readonly UserErrorValue[],
): Record<string, string> {
  const found: Record<string, string> = {};
  const add = (key: string, message: string) => {
    found[key] = found[key] ? `${found[key]} ${message}` : message;
  };
  for (const error of userErrors) {
    const path = error.field ?? "";
    const field =
      (path &&
        (fields.find((candidate) => pathOf(candidate) === path) ??
          fields.find((candidate) => pathOf(candidate).startsWith(`${path}.`)) ??
          fields.find((candidate) => path.startsWith(`${pathOf(candidate)}.`)))) ||
      null;
    add(field ? field.name : "", error.message);
  }
  return found;
}

function setAt(target: Record<string, unknown>, path: string, value: unknown) {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== "object" || next === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}

const same = (a: Value | undefined, b: Value | undefined) =>
  Array.isArray(a) && Array.isArray(b)
    ? a.length === b.length && a.every((item, index) => item === b[index])
    : (typeof a === "string" ? a.trim() : a) === (typeof b === "string" ? b.trim() : b);

function inputValue(field: FieldSpec, value: Value | undefined): unknown {
  if (field.kind === "checkbox") return value === true;
  if (field.kind === "tags") return Array.isArray(value) ? value : [];
  return typeof value === "string" && value.trim() ? value.trim() : null;
}

/**
 * A mutation's input from normalized values, each at its field's path.
 *
 * Without ``initial`` (a new record) empty fields are left out, so the server's defaults
 * apply. With it (an edit) only the fields changed are sent, an emptied one as null.
 */
export function inputOf(
  fields: readonly FieldSpec[],
  values: Values,
  initial?: Values,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of fields) {
    const value = inputValue(field, values[field.name]);
    if (initial) {
      if (same(values[field.name], initial[field.name])) continue;
    } else if (value === null || (Array.isArray(value) && value.length === 0)) {
      continue;
    }
    setAt(input, pathOf(field), value);
  }
  return input;
}
