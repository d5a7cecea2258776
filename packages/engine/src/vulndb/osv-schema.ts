import { z } from 'zod';
import type { OsvRecord } from './osv-record.ts';

/**
 * Validation of OSV records at ingest, following the OSV schema 1.6
 * (https://ossf.github.io/osv-schema/, JSON schema at
 * https://github.com/ossf/osv-schema/blob/main/validation/schema.json).
 *
 * `id` and `modified` are required; every field Drydock reads is checked for its shape (strings,
 * arrays, event objects with exactly one key); unknown fields are accepted and kept, because the
 * database stores the record's own JSON, not this schema's output. One deliberate narrowing: an
 * `affected` entry must name its `package` (OSV allows a GIT-only entry without one), because
 * matching is by package and `OsvAffected.package` is required by the contract readers rely on.
 */
const timestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, 'not an RFC 3339 timestamp');

const nonEmpty = z.string().min(1);
const stringList = z.array(z.string());
const object = z.record(z.string(), z.unknown());

const severity = z.looseObject({ type: nonEmpty, score: z.string() });

/** One event: exactly one of introduced, fixed, last_affected, limit. */
const event = z
  .looseObject({
    introduced: z.string().optional(),
    fixed: z.string().optional(),
    last_affected: z.string().optional(),
    limit: z.string().optional(),
  })
  .refine(
    (e) =>
      [e.introduced, e.fixed, e.last_affected, e.limit].filter((value) => value !== undefined).length === 1,
    'an event has exactly one of introduced, fixed, last_affected, limit',
  );

const range = z
  .looseObject({
    type: z.enum(['SEMVER', 'ECOSYSTEM', 'GIT']),
    repo: z.string().optional(),
    events: z.array(event).min(1),
    database_specific: object.optional(),
  })
  .refine((r) => r.type !== 'GIT' || r.repo !== undefined, 'a GIT range names its repo')
  .refine((r) => r.events.some((e) => e.introduced !== undefined), 'a range has an introduced event');

const affected = z.looseObject({
  package: z.looseObject({ ecosystem: nonEmpty, name: nonEmpty, purl: z.string().optional() }),
  severity: z.array(severity).optional(),
  ranges: z.array(range).optional(),
  versions: stringList.optional(),
  ecosystem_specific: object.optional(),
  database_specific: object.optional(),
});

export const osvRecordSchema = z.looseObject({
  schema_version: z.string().optional(),
  id: nonEmpty.max(256).regex(/^\S+$/, 'an id has no white space'),
  modified: timestamp,
  published: timestamp.optional(),
  withdrawn: timestamp.optional(),
  aliases: stringList.optional(),
  related: stringList.optional(),
  upstream: stringList.optional(),
  summary: z.string().optional(),
  details: z.string().optional(),
  severity: z.array(severity).optional(),
  affected: z.array(affected).optional(),
  references: z.array(z.looseObject({ type: z.string(), url: z.string() })).optional(),
  database_specific: object.optional(),
});

export type OsvValidation =
  { readonly ok: true; readonly record: OsvRecord } | { readonly ok: false; readonly reason: string };

/**
 * Checks one parsed JSON value. On success `record` is the validated value (unknown fields kept;
 * the database stores the original JSON anyway); on failure `reason` names the first offending field, e.g. `affected.0.ranges.0.events: ...`.
 */
export function validateOsvRecord(value: unknown): OsvValidation {
  const result = osvRecordSchema.safeParse(value);
  if (result.success) return { ok: true, record: result.data satisfies OsvRecord };
  const issue = result.error.issues[0];
  if (issue === undefined) return { ok: false, reason: 'invalid record' };
  const path = issue.path.map(String).join('.');
  return { ok: false, reason: path === '' ? issue.message : `${path}: ${issue.message}` };
}
