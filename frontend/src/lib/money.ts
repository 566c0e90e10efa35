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

export function humanize(value: string): string {
  const words = value.toLowerCase().replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
