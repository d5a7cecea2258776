import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let cached: Readonly<Record<string, unknown>> | undefined;

/**
 * The published JSON Schema (draft 2020-12) of the JSON format (`ScanReport`), read from
 * report.schema.json beside this file. That file is generated from the type by
 * scripts/generate-report-schema.ts and a test keeps the two equal, so CI tools can validate
 * reports against it and know every field.
 */
export function reportJsonSchema(): Readonly<Record<string, unknown>> {
  cached ??= JSON.parse(readFileSync(join(import.meta.dirname, 'report.schema.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  return cached;
}
