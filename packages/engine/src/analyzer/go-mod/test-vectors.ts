/**
 * Test support: the lock-file test vectors of `../shared/testvectors/lockfiles` (see its README),
 * with the expectations of the two upstream test suites read into one shape. Tests only.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import type { Analyzer } from '../contract.ts';
import type { Fact, PackageFact } from '../fact.ts';

export const lockfileVectors = join(import.meta.dirname, '../../../../../../shared/testvectors/lockfiles');

export interface VectorCase {
  /** `<input_copied>#<name>` (the input alone for unnamed cases): how exceptions name a case. */
  readonly key: string;
  readonly name: string;
  readonly testFunc: string;
  readonly inputPath: string;
  readonly expected: Readonly<Record<string, unknown>>;
}

export interface ExpectedPackage {
  readonly name: string;
  readonly version: string;
  /** Whether the upstream says dev-only; undefined when the upstream case does not say. */
  readonly dev: boolean | undefined;
  readonly licenses: readonly string[] | undefined;
  readonly raw: Readonly<Record<string, unknown>>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function loadVectorCases(folder: string): VectorCase[] {
  const document: unknown = JSON.parse(readFileSync(join(lockfileVectors, folder, 'expected.json'), 'utf8'));
  if (!isRecord(document) || !Array.isArray(document['cases'])) throw new Error(`${folder}: no cases`);
  return document['cases'].filter(isRecord).map((entry) => {
    const input = String(entry['input_copied']);
    const name = typeof entry['name'] === 'string' ? entry['name'] : '';
    return {
      key: name === '' ? input : `${input}#${name}`,
      name,
      testFunc: String(entry['test_func']),
      inputPath: join(lockfileVectors, folder, input),
      expected: isRecord(entry['expected']) ? entry['expected'] : {},
    };
  });
}

/** True when the upstream case expects the parser to fail. */
export function expectsError(testCase: VectorCase): boolean {
  const { expected } = testCase;
  const scalibr = expected['WantErr'];
  if (scalibr !== undefined && scalibr !== null) return true;
  const trivy = expected['wantErr'];
  return typeof trivy === 'string' && trivy !== 'assert.NoError' && trivy !== '';
}

function devOf(entry: Record<string, unknown>): boolean | undefined {
  if (typeof entry['Dev'] === 'boolean') return entry['Dev'];
  const metadata = entry['Metadata'];
  if (isRecord(metadata) && Array.isArray(metadata['DepGroupVals']))
    return metadata['DepGroupVals'].includes('dev');
  return undefined;
}

/** The packages a case expects: `WantPackages` / `wantPackages` (osv-scalibr), `want` / `wantPkgs` (trivy). */
export function expectedPackages(testCase: VectorCase): ExpectedPackage[] {
  const { expected } = testCase;
  const list =
    expected['WantPackages'] ?? expected['wantPackages'] ?? expected['want'] ?? expected['wantPkgs'];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new Error(`${testCase.key}: expected packages are computed upstream`);
  return list.filter(isRecord).map((entry) => ({
    name: String(entry['Name']),
    version: typeof entry['Version'] === 'string' ? entry['Version'] : '',
    dev: devOf(entry),
    licenses: Array.isArray(entry['Licenses']) ? entry['Licenses'].map(String) : undefined,
    raw: entry,
  }));
}

/** Runs an analyzer over one file the way the dispatcher does. */
export async function analyzeFile(
  analyzer: Analyzer,
  path: string,
  content: Buffer,
  mode = 0o100644,
): Promise<readonly Fact[]> {
  const layer = { index: 0, digest: 'sha256:' + '0'.repeat(64), diffId: undefined, createdBy: undefined };
  const context = { layer, signal: new AbortController().signal };
  const file = { path, size: content.length, mode, content };
  return analyzer.kind === 'each' ? analyzer.analyze(file, context) : analyzer.analyzeGroup([file], context);
}

export function packagesOf(facts: readonly Fact[]): PackageFact[] {
  return facts.filter((fact): fact is PackageFact => fact.kind === 'package');
}

export function diagnosticsOf(facts: readonly Fact[]): readonly string[] {
  return facts.flatMap((fact) => (fact.kind === 'diagnostic' ? [`${fact.code}: ${fact.message}`] : []));
}

/**
 * One comparable line per package, sorted: `name@version`, with ` dev` when `withDev`. Order is not
 * compared (the upstream suites sort, each its own way).
 */
export function rows(
  packages: readonly {
    readonly name: string;
    readonly version: string;
    readonly dev?: boolean | undefined;
  }[],
  withDev: boolean,
): string[] {
  return packages
    .map((pkg) => `${pkg.name}@${pkg.version}${withDev && pkg.dev === true ? ' dev' : ''}`)
    .sort();
}

/** Why a vector cannot pass as upstream wrote it, and what it is compared with instead. */
export interface VectorException {
  readonly reason: string;
  /** Rewrites the upstream expectation; without it the case is skipped (and reported as skipped with the reason). */
  readonly adjust?: (expected: readonly ExpectedPackage[]) => readonly ExpectedPackage[];
}

export interface VectorSuite {
  readonly folder: string;
  readonly analyzer: Analyzer;
  /** The image path the input is offered under (it decides which parser runs). */
  readonly pathFor: (testCase: VectorCase) => string;
  /** Compare the dev flag (only where the upstream records one). */
  readonly withDev: boolean;
  /** Compare licences where the upstream records them. */
  readonly withLicenses?: boolean;
  /** Maps one of our versions to the upstream's notation (osv-scalibr writes Go versions without `v`). */
  readonly upstreamVersion?: (version: string) => string;
  /** Keyed by `VectorCase.key`. */
  readonly exceptions: Readonly<Record<string, VectorException>>;
}

/**
 * One test per vector case: the analyzer's packages equal the upstream expectation exactly (as
 * sorted `name@version[ dev]` rows), an expected failure is a `parse_error` diagnostic with no
 * packages, and every exception names a case that exists.
 */
export function defineVectorSuite(suite: VectorSuite): void {
  const cases = loadVectorCases(suite.folder);
  const keys = new Set(cases.map((testCase) => testCase.key));
  it(`${suite.folder}: every exception names a case`, () => {
    assert.equal(keys.size, cases.length, 'case keys are unique');
    for (const key of Object.keys(suite.exceptions)) assert.ok(keys.has(key), `stale exception ${key}`);
  });
  for (const testCase of cases) {
    const exception = suite.exceptions[testCase.key];
    const knownDifference =
      exception !== undefined && exception.adjust === undefined ? exception.reason : undefined;
    if (knownDifference !== undefined) {
      // Upstream ran this case with an option Drydock does not have: it must still read the file
      // cleanly, and its result must still differ (else the exception is stale).
      it(`${suite.folder}: ${testCase.key} differs by design: ${knownDifference}`, async () => {
        const facts = await analyzeFile(
          suite.analyzer,
          suite.pathFor(testCase),
          readFileSync(testCase.inputPath),
        );
        const ours = packagesOf(facts).map((fact) => ({
          name: fact.pkg.name,
          version: fact.pkg.version,
          dev: fact.pkg.dev,
        }));
        assert.deepEqual(diagnosticsOf(facts), []);
        assert.ok(ours.length > 0, 'the file is read');
        let upstream: readonly ExpectedPackage[] | undefined;
        try {
          upstream = expectedPackages(testCase);
        } catch {
          upstream = undefined; // upstream computed its expectation in code; the reason says how ours differs
        }
        if (upstream)
          assert.notDeepEqual(
            rows(ours, false),
            rows(upstream, false),
            'stale exception: the result now matches',
          );
      });
      continue;
    }
    it(`${suite.folder}: ${testCase.key}`, async () => {
      const content = readFileSync(testCase.inputPath);
      const facts = await analyzeFile(suite.analyzer, suite.pathFor(testCase), content);
      const packages = packagesOf(facts).map((fact) => fact.pkg);
      const diagnostics = diagnosticsOf(facts);
      if (expectsError(testCase)) {
        assert.deepEqual(packages, [], 'a file upstream rejects yields no packages');
        assert.ok(
          diagnostics.some((line) => line.startsWith('parse_error')),
          'a file upstream rejects yields a parse_error',
        );
        return;
      }
      assert.deepEqual(diagnostics, [], 'no diagnostics for a file upstream accepts');
      const expected = exception?.adjust?.(expectedPackages(testCase)) ?? expectedPackages(testCase);
      const withDev = suite.withDev && expected.some((pkg) => pkg.dev !== undefined);
      const ours = packages.map((pkg) => ({
        name: pkg.name,
        version: suite.upstreamVersion?.(pkg.version) ?? pkg.version,
        dev: pkg.dev,
      }));
      assert.deepEqual(rows(ours, withDev), rows(expected, withDev));
      if (suite.withLicenses === true) {
        const licensed = (
          list: readonly { name: string; version: string; licenses?: readonly string[] | undefined }[],
        ) => list.map((pkg) => `${pkg.name}@${pkg.version} ${JSON.stringify(pkg.licenses ?? [])}`).sort();
        assert.deepEqual(
          licensed(packages),
          licensed(expected.map((pkg) => ({ ...pkg, licenses: pkg.licenses ?? [] }))),
        );
      }
    });
  }
}

/** Adjustment helpers for exceptions. */
export const dropNamed =
  (...names: readonly string[]) =>
  (expected: readonly ExpectedPackage[]): readonly ExpectedPackage[] =>
    expected.filter((pkg) => !names.includes(pkg.name));

export const keepNamed =
  (...names: readonly string[]) =>
  (expected: readonly ExpectedPackage[]): readonly ExpectedPackage[] =>
    expected.filter((pkg) => names.includes(pkg.name));

export function expectedPackage(name: string, version: string, dev?: boolean): ExpectedPackage {
  return { name, version, dev, licenses: undefined, raw: {} };
}
