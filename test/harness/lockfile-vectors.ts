/**
 * Runs parsers over the lock file and manifest vectors in ../shared/testvectors/lockfiles (trivy and
 * osv-scalibr test tables, see that folder's README). Each suite says how a case's expectation and
 * the parser's output become comparable rows; the rows must then be equal, order aside. A case that
 * cannot pass is listed by key with its reason, and its test asserts that it still differs, so a
 * stale exception fails too. Nothing is dropped silently: every case of a suite becomes a test.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

export const lockfileVectorsRoot = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'shared',
  'testvectors',
  'lockfiles',
);

export interface VectorCase {
  /** `TestFunc: name [input/file]`, unique within a suite. */
  readonly key: string;
  readonly testFunc: string;
  readonly name: string;
  readonly inputPath: string;
  readonly expected: Readonly<Record<string, unknown>>;
}

/** One package as compared: fields a suite does not compare are left out. */
export interface Row {
  readonly name: string;
  readonly version: string;
  readonly dev?: boolean;
  readonly licenses?: readonly string[];
  readonly commit?: string;
}

export interface Outcome {
  readonly error: boolean;
  readonly rows: readonly Row[];
}

export interface SuiteSpec {
  /** What the vector expects. */
  readonly expected: (vector: VectorCase) => Outcome;
  /** What the parser says about the input. */
  readonly actual: (vector: VectorCase, input: Buffer) => Outcome;
  /** Cases that cannot pass, by key, each with the reason. */
  readonly exceptions?: Readonly<Record<string, string>>;
}

export function loadSuite(suite: string): VectorCase[] {
  const folder = join(lockfileVectorsRoot, suite);
  const document: unknown = JSON.parse(readFileSync(join(folder, 'expected.json'), 'utf8'));
  assert.ok(isRecord(document) && Array.isArray(document['cases']), `${suite}/expected.json has cases`);
  return document['cases'].map((entry: unknown) => {
    assert.ok(isRecord(entry));
    const input = String(entry['input_copied']);
    const expected = entry['expected'];
    return {
      key: `${String(entry['test_func'])}: ${String(entry['name'])} [${input}]`,
      testFunc: String(entry['test_func']),
      name: String(entry['name']),
      inputPath: join(folder, input),
      expected: isRecord(expected) ? expected : {},
    };
  });
}

/** Registers one test per case of the suite. */
export function runSuite(suite: string, spec: SuiteSpec): void {
  const cases = loadSuite(suite);
  const exceptions = spec.exceptions ?? {};
  describe(`vectors ${suite}`, () => {
    it('names only existing cases as exceptions', () => {
      const keys = new Set(cases.map((vector) => vector.key));
      assert.equal(keys.size, cases.length, 'case keys are unique');
      for (const key of Object.keys(exceptions)) assert.ok(keys.has(key), `no case ${key}`);
    });
    for (const vector of cases) {
      const reason = exceptions[vector.key];
      it(reason === undefined ? vector.key : `${vector.key} — exception: ${reason}`, () => {
        const actual = normalise(spec.actual(vector, readFileSync(vector.inputPath)));
        const expected = normalise(spec.expected(vector));
        if (reason === undefined) assert.deepEqual(actual, expected);
        else assert.notDeepEqual(actual, expected, 'the exception no longer applies: remove it');
      });
    }
  });
}

function normalise(outcome: Outcome): { readonly error: boolean; readonly rows: readonly string[] } {
  const rows = outcome.rows.map((row) =>
    JSON.stringify([row.name, row.version, row.dev ?? null, row.licenses ?? null, row.commit ?? null]),
  );
  return { error: outcome.error, rows: rows.sort() };
}

export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const packageKeys = ['WantPackages', 'wantPackages', 'want', 'wantPkgs'];

/**
 * Whether the case checks packages. osv-scalibr's `TestMetricCollector` cases check only the result
 * metric (did extraction fail); every other case expects its package list, a missing one meaning none.
 */
export function listsPackages(vector: VectorCase): boolean {
  return vector.testFunc !== 'TestMetricCollector';
}

/** The expected package list of a case under whichever key its source uses, or `[]`. */
export function expectedPackages(
  expected: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>>[] {
  for (const key of packageKeys) {
    const value = expected[key];
    if (Array.isArray(value)) return value.filter(isRecord);
  }
  return [];
}

/** Whether a case expects the parser to fail: a Go error expectation or an error result metric. */
export function expectsError(expected: Readonly<Record<string, unknown>>): boolean {
  const wantErr = expected['WantErr'] ?? expected['wantErr'];
  if (wantErr !== undefined && wantErr !== null && wantErr !== false && wantErr !== 'assert.NoError')
    return true;
  const metric = expected['wantResultMetric'];
  return typeof metric === 'string' && metric.includes('Error');
}

/** osv-scalibr's dependency groups (`DepGroupVals`) as Drydock's dev flag: any group but optional or bundled. */
export function scalibrDev(record: Readonly<Record<string, unknown>>): boolean {
  const metadata = record['Metadata'];
  const groups = isRecord(metadata) ? metadata['DepGroupVals'] : undefined;
  return Array.isArray(groups) && groups.some((group) => group !== 'optional' && group !== 'bundled');
}

/** osv-scalibr's `SourceCode.Commit`, or `undefined` when there is none. */
export function scalibrCommit(record: Readonly<Record<string, unknown>>): string | undefined {
  const source = record['SourceCode'];
  const commit = isRecord(source) ? source['Commit'] : undefined;
  return typeof commit === 'string' && commit !== '' ? commit : undefined;
}

export function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
