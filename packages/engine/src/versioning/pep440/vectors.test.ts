/**
 * The PEP 440 scheme against every vector in ../shared/testvectors/version-compare/pep440/
 * (formats in the README there): pypa/packaging's own version tests (ordering of its `VERSIONS`
 * list, validity, normalisation and every version part) and osv-scalibr's orderings. Vectors
 * Drydock does not follow are named with their reason and checked to still differ.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkComparisons, linesOf } from '../vector-check.ts';
import { readComparisonLines, versionVectors, type Comparison } from '../vector-files.ts';
import { basePart, normalizePep440, publicPart } from './normalize.ts';
import { parsePep440 } from './parse.ts';
import { pep440Scheme } from './scheme.ts';

const folder = 'pep440';

interface PackagingTests {
  readonly constants: Readonly<Record<string, readonly unknown[]>>;
  readonly tests: Readonly<
    Record<string, { readonly argnames: readonly string[]; readonly cases: readonly unknown[] }>
  >;
}

function readPackaging(file: string): PackagingTests {
  return JSON.parse(readFileSync(join(versionVectors, folder, file), 'utf8'));
}

const versionTests = readPackaging('packaging-test_version.json');

/** The cases of one parametrised test, each as a list of arguments. */
function casesOf(name: string): readonly (readonly unknown[])[] {
  const test = versionTests.tests[name];
  assert.ok(test !== undefined, `no test ${name}`);
  return test.cases.map((entry): readonly unknown[] => {
    if (test.argnames.length === 1) return [entry];
    assert.ok(Array.isArray(entry), `${name}: a case is not a list of arguments`);
    return entry;
  });
}

function stringOf(value: unknown): string {
  assert.equal(typeof value, 'string');
  return String(value);
}

/** The parts of a valid version; fails the test for an invalid one. */
function parsed(version: string): NonNullable<ReturnType<typeof parsePep440>> {
  const parts = parsePep440(version);
  assert.ok(parts !== undefined, `${version} does not parse`);
  return parts;
}

const involvesInvalid = (comparison: Comparison): boolean =>
  !pep440Scheme.isValid(comparison.a) || !pep440Scheme.isValid(comparison.b);
const legacyVersion =
  'not a PEP 440 version: osv-scalibr ordered it with the LegacyVersion fallback of packaging < 22, which packaging ≥ 22 (and PEP 440) reject; Drydock calls it invalid, so matching answers unknown';

describe('pep440 vectors: pypa/packaging tests/test_version.py', () => {
  it('orders VERSIONS strictly increasing: every pair, both ways', () => {
    const versions = (versionTests.constants.VERSIONS ?? []).map(stringOf);
    assert.equal(versions.length, 92);
    const comparisons: Comparison[] = [];
    versions.forEach((a, i) =>
      versions.forEach((b, j) =>
        comparisons.push({
          where: `VERSIONS[${i}] vs [${j}]`,
          a,
          b,
          relation: i < j ? '<' : i > j ? '>' : '=',
        }),
      ),
    );
    assert.deepEqual(checkComparisons(pep440Scheme.compare, comparisons), []);
  });

  it('test_valid_versions and test_version_hash: valid, equal to themselves', () => {
    for (const [version] of [
      ...casesOf('TestVersion.test_valid_versions'),
      ...casesOf('TestVersion.test_version_hash'),
    ]) {
      assert.ok(pep440Scheme.isValid(stringOf(version)), stringOf(version));
      assert.equal(pep440Scheme.compare(stringOf(version), stringOf(version)), 0);
    }
  });

  it('test_invalid_versions', () => {
    const cases = casesOf('TestVersion.test_invalid_versions');
    assert.equal(cases.length, 20);
    for (const [version] of cases) assert.ok(!pep440Scheme.isValid(stringOf(version)), stringOf(version));
  });

  it('test_non_string_versions_raise_invalid_version: exception, not representable', () => {
    // Exception: None, 1, lists and objects cannot reach `isValid(version: string)`; the type
    // system refuses them. Checked: none of them is a string.
    const cases = casesOf('TestVersion.test_non_string_versions_raise_invalid_version');
    assert.equal(cases.length, 5);
    for (const [value] of cases) assert.notEqual(typeof value, 'string');
  });

  it('test_oversized_version_raises_valueerror: exception, numbers are unbounded here', () => {
    // Exception: packaging raises ValueError only because CPython caps int() at 4,300 digits
    // (sys.set_int_max_str_digits); PEP 440 sets no limit. Drydock accepts and orders them exactly.
    const cases = casesOf('TestVersion.test_oversized_version_raises_valueerror');
    assert.equal(cases.length, 2);
    for (const [value] of cases) {
      const version = stringOf(value);
      assert.ok(version.length > 4_300);
      assert.ok(pep440Scheme.isValid(version));
      assert.equal(pep440Scheme.compare(version, `${version}0`), -1);
    }
  });

  it('test_normalized_versions and test_version_str_repr', () => {
    const cases = [
      ...casesOf('TestVersion.test_normalized_versions'),
      ...casesOf('TestVersion.test_version_str_repr'),
    ];
    assert.equal(cases.length, 149);
    for (const [version, normalized] of cases) {
      assert.equal(normalizePep440(stringOf(version)), stringOf(normalized), stringOf(version));
      assert.equal(pep440Scheme.compare(stringOf(version), stringOf(normalized)), 0);
    }
  });

  it('the version parts: public, base_version, epoch, release, local, pre, dev, post', () => {
    for (const [version, expected] of casesOf('TestVersion.test_version_public'))
      assert.equal(publicPart(parsed(stringOf(version))), expected, stringOf(version));
    for (const [version, expected] of casesOf('TestVersion.test_version_base_version'))
      assert.equal(basePart(parsed(stringOf(version))), expected, stringOf(version));
    for (const [version, expected] of casesOf('TestVersion.test_version_epoch'))
      assert.equal(Number(parsed(stringOf(version)).epoch), expected, stringOf(version));
    for (const [version, expected] of casesOf('TestVersion.test_version_release'))
      assert.deepEqual(parsed(stringOf(version)).release.map(Number), expected, stringOf(version));
    for (const [version, expected] of casesOf('TestVersion.test_version_local'))
      assert.equal(parsed(stringOf(version)).local?.join('.') ?? null, expected, stringOf(version));
    for (const [version, expected] of casesOf('TestVersion.test_version_pre')) {
      const pre = parsed(stringOf(version)).pre;
      assert.deepEqual(
        pre === undefined ? null : [pre.label, Number(pre.number)],
        expected,
        stringOf(version),
      );
    }
    for (const [version, expected] of casesOf('TestVersion.test_version_dev')) {
      const dev = parsed(stringOf(version)).dev;
      assert.equal(dev === undefined ? null : Number(dev), expected, stringOf(version));
    }
    for (const [version, expected] of casesOf('TestVersion.test_version_post')) {
      const post = parsed(stringOf(version)).post;
      assert.equal(post === undefined ? null : Number(post), expected, stringOf(version));
    }
  });

  it('is_prerelease, is_devrelease, is_postrelease', () => {
    for (const [version, expected] of casesOf('TestVersion.test_version_is_prerelease')) {
      const parts = parsed(stringOf(version));
      assert.equal(parts.pre !== undefined || parts.dev !== undefined, expected, stringOf(version));
    }
    for (const [version, expected] of casesOf('TestVersion.test_version_is_devrelease'))
      assert.equal(parsed(stringOf(version)).dev !== undefined, expected, stringOf(version));
    for (const [version, expected] of casesOf('TestVersion.test_version_is_postrelease'))
      assert.equal(parsed(stringOf(version)).post !== undefined, expected, stringOf(version));
  });

  it('test_from_parts: a version built from its parts equals the written one', () => {
    interface Parts {
      readonly release: readonly number[];
      readonly epoch?: number | null;
      readonly pre?: readonly [string, number] | null;
      readonly post?: number | null;
      readonly dev?: number | null;
      readonly local?: string | null;
    }
    const file: {
      readonly tests: { readonly test_from_parts: { readonly cases: readonly [Parts, string][] } };
    } = JSON.parse(readFileSync(join(versionVectors, folder, 'packaging-test_version.json'), 'utf8'));
    const cases = file.tests.test_from_parts.cases;
    assert.equal(cases.length, 10);
    for (const [parts, written] of cases) {
      const text =
        (parts.epoch == null ? '' : `${parts.epoch}!`) +
        parts.release.join('.') +
        (parts.pre == null ? '' : `${parts.pre[0]}${parts.pre[1]}`) +
        (parts.post == null ? '' : `.post${parts.post}`) +
        (parts.dev == null ? '' : `.dev${parts.dev}`) +
        (parts.local == null ? '' : `+${parts.local}`);
      assert.equal(normalizePep440(text), normalizePep440(written), text);
      assert.equal(pep440Scheme.compare(text, written), 0, text);
    }
  });

  it('test_compare_other: exception, not representable', () => {
    // Exception: compares a Version with an object of another type (== is False, != is True);
    // `compare` takes two strings. test_comparison_true/false are the VERSIONS pairs above.
    assert.equal(casesOf('TestVersion.test_compare_other').length, 2);
  });

  it('every test of the file is run above', () => {
    const run = [
      'valid_versions',
      'invalid_versions',
      'non_string_versions_raise_invalid_version',
      'oversized_version_raises_valueerror',
      'normalized_versions',
      'version_str_repr',
      'version_hash',
      'version_public',
      'version_base_version',
      'version_epoch',
      'version_release',
      'version_local',
      'version_pre',
      'version_is_prerelease',
      'version_dev',
      'version_is_devrelease',
      'version_post',
      'version_is_postrelease',
      'comparison_true',
      'comparison_false',
      'compare_other',
    ].map((name) => `TestVersion.test_${name}`);
    assert.deepEqual(Object.keys(versionTests.tests).sort(), [...run, 'test_from_parts'].sort());
  });
});

describe('pep440 vectors: pypa/packaging tests/test_specifiers.py', () => {
  it('exception: version specifiers are not a version scheme', () => {
    // Exception (all 944 cases): `~=`, `==1.*`, `===`, the exclusive-ordered rules of `<`/`>`,
    // pre-release policy, specifier sets and filters are PEP 440's specifier language. OSV PyPI
    // ranges are events that `compare` orders, so Drydock has no specifier matcher. Checked: the
    // scheme still offers only id, isValid and compare; a specifier matcher would have to run these.
    const specifiers = readPackaging('packaging-test_specifiers.json');
    const cases = Object.values(specifiers.tests).reduce((sum, test) => sum + test.cases.length, 0);
    assert.equal(cases, 944);
    assert.deepEqual(Object.keys(pep440Scheme).sort(), ['compare', 'id', 'isValid']);
  });
});

describe('pep440 vectors: osv-scalibr', () => {
  it('osv-scalibr-pypi-versions.txt', () => {
    const file = 'osv-scalibr-pypi-versions.txt';
    const comparisons = readComparisonLines(folder, file);
    assert.equal(comparisons.length, 37);
    const exceptions = [
      {
        reason: legacyVersion,
        lines: linesOf(file, [47, 48, 49, 50, 51, 52, 53]),
        explains: involvesInvalid,
      },
    ];
    assert.deepEqual(checkComparisons(pep440Scheme.compare, comparisons, exceptions), []);
  });

  it('osv-scalibr-pypi-versions-generated.txt (versions from real advisories)', () => {
    const file = 'osv-scalibr-pypi-versions-generated.txt';
    const comparisons = readComparisonLines(folder, file);
    assert.equal(comparisons.length, 12_375);
    const exceptions = [
      {
        reason: legacyVersion,
        lines: linesOf(
          file,
          [
            525, 526, 527, 528, 529, 530, 531, 4222, 4909, 4910, 4911, 4912, 4913, 4914, 4915, 4916, 4917,
            4918, 4919, 4920, 4921, 4922, 4923, 7249, 7250, 7251, 7252, 7253, 7254, 7255, 7256, 7257, 9328,
            9329, 9330, 9331, 9332, 9333, 9334, 9335, 9336, 9337, 9338, 9339, 9340, 9341, 9342, 9343, 9344,
            9345, 9346, 9347, 11234, 11871,
          ],
        ),
        explains: involvesInvalid,
      },
    ];
    assert.deepEqual(checkComparisons(pep440Scheme.compare, comparisons, exceptions), []);
  });
});
