/** One userError of a mutation's payload; ``field`` is its input path, such as `address.city`. */
export interface UserErrorValue {
  field?: string | null;
  code: string;
  message: string;
}
