import type { JsonText } from './schema.ts';

/** The JSON text of a value, typed so that a JSON column only accepts what it stores. */
export function toJson<T>(value: T): JsonText<T> {
  return JSON.stringify(value) as JsonText<T>;
}
