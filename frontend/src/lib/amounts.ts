/** Amounts as people type them, in their own locale: "12,500", "12.500,50", "1 234,5". */

export interface Separators {
  group: string;
  decimal: string;
}

export function separatorsOf(locale?: string): Separators {
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  return {
    group: parts.find((part) => part.type === "group")?.value ?? ",",
    decimal: parts.find((part) => part.type === "decimal")?.value ?? ".",
  };
}

/** Spaces of any kind and apostrophes group digits in some locales ("1 234", "1'234"). */
const SPACES = /[\s\u00a0\u202f'’]/g;

function grouped(integer: string, separator: string): string | null {
  if (!integer.includes(separator)) return /^\d+$/.test(integer) ? integer : null;
  const groups = integer.split(separator);
  const [head, ...rest] = groups;
  if (!head || !/^\d{1,3}$/.test(head) || rest.some((group) => !/^\d{3}$/.test(group))) {
    return null;
  }
  return groups.join("");
}

/**
 * The decimal an amount typed in ``locale`` stands for ("12500.50"), or null when it is not
 * an amount. The last of "." and "," is the decimal mark when both appear; one of them alone
 * groups thousands when it is the locale's group mark and three digits follow it each time.
 */
export function parseAmount(text: string, locale?: string): string | null {
  let rest = text.replace(SPACES, "");
  let sign = "";
  if (rest.startsWith("-") || rest.startsWith("+")) {
    sign = rest.startsWith("-") ? "-" : "";
    rest = rest.slice(1);
  }
  if (!/^[\d.,]+$/.test(rest) || !/\d/.test(rest)) return null;
  const lastDot = rest.lastIndexOf(".");
  const lastComma = rest.lastIndexOf(",");
  let decimalMark: string | null = null;
  let groupMark: string | null = null;
  if (lastDot >= 0 && lastComma >= 0) {
    decimalMark = lastDot > lastComma ? "." : ",";
    groupMark = decimalMark === "." ? "," : ".";
  } else if (lastDot >= 0 || lastComma >= 0) {
    const mark = lastDot >= 0 ? "." : ",";
    const count = rest.split(mark).length - 1;
    const { group } = separatorsOf(locale);
    const thousands = grouped(rest, mark) !== null;
    if (count > 1 || (mark === group && thousands)) {
      groupMark = mark;
    } else {
      decimalMark = mark;
    }
  }
  const [integerPart = "", fraction = ""] = decimalMark === null ? [rest] : rest.split(decimalMark);
  if (decimalMark !== null && rest.split(decimalMark).length > 2) return null;
  if (fraction && !/^\d+$/.test(fraction)) return null;
  const integer = groupMark === null ? integerPart || "0" : grouped(integerPart, groupMark);
  if (integer === null || !/^\d+$/.test(integer)) return null;
  const digits = integer.replace(/^0+(?=\d)/, "");
  return `${sign}${digits}${fraction ? `.${fraction}` : ""}`;
}

/** A stored decimal ("12500.5") as the locale writes it for typing ("12.500,5"); exact. */
export function formatAmountInput(amount: string, locale?: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) return amount;
  const [, sign = "", integer = "", fraction] = match;
  const { group, decimal } = separatorsOf(locale);
  const withGroups = integer.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${sign}${withGroups}${fraction ? `${decimal}${fraction}` : ""}`;
}

/** An example amount in the locale, for messages: "12,500.50" or "12.500,50". */
export const exampleAmount = (locale?: string) => formatAmountInput("12500.50", locale);
