import type { FeedItem } from './feed-item.ts';

/** Parses one JSON text (RFC 8259) into a feed item; a syntax error becomes an invalid item. */
export function parseJsonItem(text: string, location: string): FeedItem {
  try {
    return { kind: 'json', value: JSON.parse(text), location };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'invalid', reason: `invalid JSON: ${message}`, location };
  }
}

/**
 * The items of one whole JSON document: an object is one record, an array is a list of records
 * (the shape of osv.dev's query answers and of some exports); anything else is invalid.
 */
export function documentItems(text: string, location: string): FeedItem[] {
  const parsed = parseJsonItem(text, location);
  if (parsed.kind === 'invalid') return [parsed];
  const value = parsed.value;
  if (Array.isArray(value)) {
    return value.map((element: unknown, index) => ({
      kind: 'json',
      value: element,
      location: `${location}[${index}]`,
    }));
  }
  if (typeof value === 'object' && value !== null) return [parsed];
  return [
    { kind: 'invalid', reason: 'a JSON document that is neither a record nor a list of records', location },
  ];
}
