/** A JSON object (not an array, not null): what the API's opaque fields and error details are read as. */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
