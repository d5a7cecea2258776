import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import addDraft2019Formats from 'ajv-formats-draft2019';

const schemaDir = join(import.meta.dirname, '..', 'fixtures', 'schemas');

function load(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(schemaDir, name), 'utf8')) as Record<string, unknown>;
}

let cyclonedx: ValidateFunction | undefined;
let spdx: ValidateFunction | undefined;

function compile(main: string, extra: readonly string[]): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  // ajv-formats is CommonJS: its function is the module's default export under NodeNext.
  (ajvFormats as unknown as { default: (ajv: Ajv) => Ajv }).default(ajv);
  addDraft2019Formats(ajv);
  // The offline copies reference each other by file name: register each under the URL those
  // references resolve to (relative to the main schema's $id).
  const base = String(load(main)['$id'] ?? '');
  for (const name of extra) {
    const { $id: _id, ...schema } = load(name);
    ajv.addSchema(schema, new URL(name, base || 'file:///').href);
  }
  return ajv.compile(load(main));
}

function check(validate: ValidateFunction, document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map(
    (error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
  );
}

/** Errors of a CycloneDX 1.6 JSON document against the published schema (empty when valid). */
export function cycloneDxErrors(document: unknown): string[] {
  cyclonedx ??= compile('bom-1.6.SNAPSHOT.schema.json', [
    'spdx.SNAPSHOT.schema.json',
    'jsf-0.82.SNAPSHOT.schema.json',
  ]);
  return check(cyclonedx, document);
}

/** Errors of an SPDX 2.3 JSON document against the published schema (empty when valid). */
export function spdxErrors(document: unknown): string[] {
  spdx ??= compile('spdx-2.3.schema.json', []);
  return check(spdx, document);
}

let sarif: ValidateFunction | undefined;

/**
 * Errors of a SARIF log against the SARIF 2.1.0 (rtm.5) schema (empty when valid). The schema is
 * draft-04: its `$schema` and `id` keys are dropped, the rest reads the same under Ajv's default;
 * its language-tag pattern is not valid with the `u` flag, so patterns compile without it.
 */
export function sarifErrors(document: unknown): string[] {
  if (sarif === undefined) {
    const { $schema: _schema, id: _id, ...schema } = load('sarif-2.1.0-rtm.5.json');
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, unicodeRegExp: false });
    (ajvFormats as unknown as { default: (ajv: Ajv) => Ajv }).default(ajv);
    sarif = ajv.compile(schema);
  }
  return check(sarif, document);
}
