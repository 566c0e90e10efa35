export interface UserErrorValue {
  field?: string | null;
  code: string;
  message: string;
}

/** Field errors by input path; errors for the whole input under "". */
export function errorsByField(errors: readonly UserErrorValue[]): Record<string, string> {
  const found: Record<string, string> = {};
  for (const error of errors) {
    const key = error.field ?? "";
    found[key] = found[key] ? `${found[key]} ${error.message}` : error.message;
  }
  return found;
}
