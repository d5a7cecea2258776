/**
 * The Python parsers against the trivy and osv-scalibr vectors in ../shared/testvectors/lockfiles.
 * Compared per package: name and version always; the dev flag, licences and git commit where the
 * source records them in the same sense as Drydock.
 */
import {
  expectedPackages,
  expectsError,
  listsPackages,
  runSuite,
  scalibrCommit,
  scalibrDev,
  stringOf,
  type Outcome,
  type Row,
  type VectorCase,
} from '../../../../../test/harness/lockfile-vectors.ts';
import { parseCoreMetadata } from './core-metadata.ts';
import { parsePipfileLock } from './pipfile-lock.ts';
import { parsePoetryLock } from './poetry-lock.ts';
import type { PythonParse } from './python-package.ts';
import { parseRequirements } from './requirements.ts';
import { decodeText } from './text.ts';

interface Compared {
  readonly dev?: boolean;
  readonly licenses?: boolean;
  readonly commit?: boolean;
}

function outcome(
  vector: VectorCase,
  result: PythonParse,
  compared: Compared,
  keep = (_row: Row) => true,
): Outcome {
  if (!result.ok || !listsPackages(vector)) return { error: !result.ok, rows: [] };
  const rows = result.packages.map((found): Row => ({
    name: found.name,
    version: found.version,
    ...(compared.dev ? { dev: found.dev ?? false } : {}),
    ...(compared.licenses ? { licenses: found.licenses } : {}),
    ...(compared.commit && found.commit !== undefined ? { commit: found.commit } : {}),
  }));
  return { error: false, rows: rows.filter(keep) };
}

function scalibrExpected(
  vector: VectorCase,
  compared: Compared,
  keep = (_record: Readonly<Record<string, unknown>>) => true,
): Outcome {
  const rows = expectedPackages(vector.expected)
    .filter(keep)
    .map((record): Row => {
      const commit = scalibrCommit(record);
      return {
        name: stringOf(record['Name']),
        version: stringOf(record['Version']),
        ...(compared.dev ? { dev: scalibrDev(record) } : {}),
        ...(compared.commit && commit !== undefined ? { commit } : {}),
      };
    });
  return { error: expectsError(vector.expected), rows };
}

function trivyExpected(vector: VectorCase, compared: Compared): Outcome {
  const rows = expectedPackages(vector.expected).map((record): Row => ({
    name: stringOf(record['Name']),
    version: stringOf(record['Version']),
    ...(compared.dev ? { dev: record['Dev'] === true } : {}),
    ...(compared.licenses
      ? { licenses: Array.isArray(record['Licenses']) ? record['Licenses'].map(stringOf) : [] }
      : {}),
  }));
  return { error: expectsError(vector.expected), rows };
}

// --- installed metadata: METADATA, PKG-INFO, .egg-info ---------------------------------------------

runSuite('osv-scalibr/python/wheelegg', {
  expected: (vector) => scalibrExpected(vector, {}),
  actual: (vector, input) => outcome(vector, parseCoreMetadata(decodeText(input)), {}),
});

runSuite('trivy/python/packaging', {
  expected: (vector) => trivyExpected(vector, { licenses: true }),
  actual: (vector, input) => outcome(vector, parseCoreMetadata(decodeText(input)), { licenses: true }),
});

// --- poetry.lock -------------------------------------------------------------------------------------

runSuite('osv-scalibr/python/poetrylock', {
  expected: (vector) => scalibrExpected(vector, { dev: true, commit: true }),
  actual: (vector, input) => outcome(vector, parsePoetryLock(decodeText(input)), { dev: true, commit: true }),
});

runSuite('trivy/python/poetry', {
  expected: (vector) => trivyExpected(vector, { dev: true }),
  actual: (vector, input) => outcome(vector, parsePoetryLock(decodeText(input)), { dev: true }),
});

// --- Pipfile.lock ------------------------------------------------------------------------------------

runSuite('osv-scalibr/python/pipfilelock', {
  expected: (vector) => scalibrExpected(vector, { dev: true }),
  actual: (vector, input) => outcome(vector, parsePipfileLock(decodeText(input)), { dev: true }),
});

runSuite('trivy/python/pipenv', {
  expected: (vector) => trivyExpected(vector, { dev: true }),
  // trivy leaves the `develop` section out; these inputs have none.
  actual: (vector, input) => outcome(vector, parsePipfileLock(decodeText(input)), { dev: true }),
});

// --- requirements.txt --------------------------------------------------------------------------------

/**
 * osv-scalibr also reports requirements that are not pins: names without a version (Version ""),
 * and ranges with their bound (`VersionComparator` ">=", "~=", "<="). Drydock reports pins only
 * (`==`, and `===` which scalibr writes as comparator "==="), so the comparison keeps those.
 */
function isScalibrPin(record: Readonly<Record<string, unknown>>): boolean {
  const metadata = record['Metadata'];
  const comparator =
    typeof metadata === 'object' && metadata !== null && 'VersionComparator' in metadata
      ? metadata.VersionComparator
      : undefined;
  return stringOf(record['Version']) !== '' && (comparator === undefined || comparator === '===');
}

runSuite('osv-scalibr/python/requirements', {
  expected: (vector) => scalibrExpected(vector, {}, isScalibrPin),
  actual: (vector, input) => outcome(vector, parseRequirements(decodeText(input)), {}),
  exceptions: {
    'TestExtract: pip_example [input/example.txt]':
      'pandas 2.2.3 comes from other-requirements.txt through `-r` (that file is not among the inputs); an analyzer sees one file and does not follow includes',
    'TestExtract: per_requirement_options [input/per_req_options.txt]':
      'osv-scalibr keeps foo7 with version "1.0 unexpected_text_before_options_stays_around"; that is no version, so Drydock skips the line',
  },
});

runSuite('trivy/python/pip', {
  expected: (vector) => trivyExpected(vector, {}),
  actual: (vector, input) => outcome(vector, parseRequirements(decodeText(input)), {}),
  exceptions: {
    'TestParse: compatible versions [input/requirements_compatible.txt]':
      "run with trivy's useMinVersion option, which reports ranges (>=, ~=, ==1.*) by their lower bound; Drydock reports pinned versions only",
  },
});
