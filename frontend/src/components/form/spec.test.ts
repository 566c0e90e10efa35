import { describe, expect, it } from "vitest";
import { errorsOnFields, type FieldSpec, inputOf, normalize, validate } from "./spec";

const fields: FieldSpec[] = [
  { name: "number", label: "Number", kind: "text", required: true },
  { name: "startDate", label: "Start date", kind: "date", required: true },
  { name: "amount", label: "Value", kind: "amount", required: true, path: "value.amount" },
  { name: "city", label: "City", kind: "text", path: "address.city" },
  { name: "tags", label: "Tags", kind: "tags" },
];

describe("the form's own checks", () => {
  it("names each required field left empty, a bad date and a bad amount", () => {
    expect(
      validate(fields, { number: " ", startDate: "", amount: "", city: "", tags: [] }),
    ).toEqual({
      number: "Number is required.",
      startDate: "Start date is required.",
      amount: "Value is required.",
    });
    const wrong = validate(
      fields,
      { number: "K", startDate: "2026-02-30", amount: "12,5,0" },
      "en-US",
    );
    expect(wrong.startDate).toBe("Enter a date such as 2026-03-31.");
    expect(wrong.amount).toBe("Enter an amount such as 12,500.50.");
  });

  it("sends amounts as decimals", () => {
    expect(normalize(fields, { amount: "12.500,50" }, "de-DE").amount).toBe("12500.50");
  });
});

describe("the server's userErrors", () => {
  it("land on the field at their path, or on the whole form", () => {
    expect(
      errorsOnFields(fields, [
        { field: "value.amount", code: "INVALID", message: "Must not be negative." },
        { field: "value", code: "REQUIRED", message: "Value is required." },
        { field: "address.city", code: "INVALID", message: "Too long." },
        { field: "customerId", code: "NOT_FOUND", message: "No such customer." },
        { field: null, code: "FORBIDDEN", message: "You may not." },
      ]),
    ).toEqual({
      amount: "Must not be negative. Value is required.",
      city: "Too long.",
      "": "No such customer. You may not.",
    });
  });
});

describe("the input", () => {
  it("of a new record leaves out what is empty", () => {
    expect(
      inputOf(fields, { number: "K-1", startDate: "", amount: "5", city: "Oslo", tags: [] }),
    ).toEqual({
      number: "K-1",
      value: { amount: "5" },
      address: { city: "Oslo" },
    });
  });

  it("of an edit sends only what changed, an emptied field as null", () => {
    const initial = {
      number: "K-1",
      startDate: "2026-01-01",
      amount: "5",
      city: "Oslo",
      tags: ["A"],
    };
    expect(inputOf(fields, { ...initial, city: "", tags: ["A", "B"] }, initial)).toEqual({
      address: { city: null },
      tags: ["A", "B"],
    });
  });
});
