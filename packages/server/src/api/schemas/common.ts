import { z } from 'zod';

/**
 * Building blocks of the route schemas. Request values are checked for shape here; the service
 * checks meaning (a known time zone, a registry that exists) and answers `invalid_request` itself.
 */

/** The one error body of every failure (error-mapping.ts builds it). */
export const errorBodySchema = z
  .object({
    code: z.string().describe('Stable machine-readable code (`not_found`, `invalid_request`, ...)'),
    message: z.string().describe('For people; never holds secrets or internal details'),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'Error' });

/**
 * Ids in paths: the service's UUIDs, and advisory ids (`GHSA-…`, `CVE-…`, `ALSA-2023:1234`). The
 * narrow alphabet keeps control characters and path tricks out of every query.
 */
export const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,200}$/, 'an id of letters, digits, dots, dashes, colons or underscores');

/** Free text (PostgreSQL text cannot hold NUL characters, so they are refused here, not at the database). */
export function text(maxLength: number) {
  return z
    .string()
    .max(maxLength)
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters');
}

export const projectParams = z.strictObject({ projectId: idSchema });

/**
 * A list in the query string: repeated (`status=failed&status=queued`) or comma-separated
 * (`status=failed,queued`), each item checked by `item`.
 */
export function queryList<T extends z.ZodType>(item: T) {
  return z
    .union([z.array(item).max(1000), z.string().describe('One value, or several separated by commas')])
    .transform((value, context): z.output<T>[] => {
      if (Array.isArray(value)) return value;
      const items: z.output<T>[] = [];
      const entries = value
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== '');
      for (const [index, entry] of entries.entries()) {
        const parsed = item.safeParse(entry);
        if (!parsed.success) {
          context.issues.push({
            code: 'custom',
            input: entry,
            path: [index],
            message: parsed.error.issues[0]?.message ?? 'invalid value',
          });
          return z.NEVER;
        }
        items.push(parsed.data);
      }
      return items;
    });
}

/** An instant in the query string: RFC 3339 with an offset (`2025-01-31T00:00:00Z`). */
export const queryInstant = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .describe('RFC 3339 date-time');

/** `true` or `false` in the query string. */
export const queryBoolean = z.enum(['true', 'false']).transform((value) => value === 'true');

export const pagingQuery = {
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
};

/** An instant in a request body. */
export const bodyInstant = z.iso.datetime({ offset: true }).describe('RFC 3339 date-time');

/** The reply of 204 routes. */
export const noContent = z.undefined();
