import { enumLabel } from "./labels";

export interface MoneyValue {
  amount: string;
  currency: string;
}

/** Shows a decimal amount in its currency; the string is never used for arithmetic. */
export function formatMoney(money: MoneyValue, locale = "en-US"): string {
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency: money.currency,
  }).format(Number(money.amount));
}

/** A code of the API in words: the labels of lib/labels.ts. */
export function humanize(value: string): string {
  return enumLabel(value);
}
