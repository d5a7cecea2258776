/**
 * The npm, yarn and pnpm parsers against the trivy and osv-scalibr vectors in
 * ../shared/testvectors/lockfiles. Compared per package: name and version always; the dev flag,
 * licences and git commit where the source records them in the same sense as Drydock.
 */
import {
  expectedPackages,
  expectsError,
  isRecord,
  listsPackages,
  loadSuite,
  runSuite,
  scalibrCommit,
  scalibrDev,
  stringOf,
  type Outcome,
  type Row,
  type VectorCase,
} from '../../../../../test/harness/lockfile-vectors.ts';
import type { LockParse } from './locked-package.ts';
import { parsePackageJson } from './package-json.ts';
import { parsePackageLock } from './package-lock.ts';
import { parsePnpmLock } from './pnpm-lock.ts';
import { parseYarnLock } from './yarn-lock.ts';

interface Compared {
  readonly dev?: boolean;
  readonly licenses?: boolean;
  readonly commit?: boolean;
}

function lockOutcome(
  vector: VectorCase,
  parsed: LockParse,
  compared: Compared,
  keep = (_row: Row) => true,
): Outcome {
  const error = !parsed.ok || parsed.problems.length > 0;
  if (!listsPackages(vector) || !parsed.ok) return { error, rows: [] };
  const rows = parsed.packages.map((found): Row => ({
    name: found.name,
    version: found.version,
    ...(compared.dev ? { dev: found.dev ?? false } : {}),
    ...(compared.licenses ? { licenses: found.licenses } : {}),
    ...(compared.commit && found.commit !== undefined ? { commit: found.commit } : {}),
  }));
  return { error, rows: rows.filter(keep) };
}

function scalibrExpected(vector: VectorCase, compared: Compared): Outcome {
  const rows = expectedPackages(vector.expected).map((record): Row => {
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

function trivyExpected(
  vector: VectorCase,
  compared: Compared,
  packages = expectedPackages(vector.expected),
): Outcome {
  const rows = packages.map((record): Row => ({
    name: stringOf(record['Name']),
    version: stringOf(record['Version']),
    ...(compared.dev ? { dev: record['Dev'] === true } : {}),
    ...(compared.licenses
      ? { licenses: Array.isArray(record['Licenses']) ? record['Licenses'].map(stringOf) : [] }
      : {}),
  }));
  return { error: expectsError(vector.expected), rows };
}

const text = (input: Buffer) => input.toString('utf8');

// --- package-lock.json / npm-shrinkwrap.json -------------------------------------------------------

const scalibrNpm: Compared = { dev: true, commit: true };
runSuite('osv-scalibr/javascript/packagelockjson', {
  expected: (vector) => scalibrExpected(vector, scalibrNpm),
  actual: (vector, input) => lockOutcome(vector, parsePackageLock(text(input)), scalibrNpm),
  exceptions: {
    'TestNPMLockExtractor_Extract_V2: optional package [input/optional-package.v2.json]':
      'osv-scalibr counts `devOptional` as dev; npm sets it on a dev dependency that is also an optional dependency of a run-time package, which `npm install --omit=dev` still installs, so Drydock does not call supports-color development-only',
    'TestExtractor_Extract_Shrinkwrap_JSON: valid package-lock.json and npm-shrinkwrap.json and extract package-lock.json [input/both/package-lock.json]':
      'osv-scalibr ignores a package-lock.json that has an npm-shrinkwrap.json beside it, as npm does; an analyzer sees one file at a time, so Drydock reports both',
  },
});

const trivyNpm: Compared = { dev: true, licenses: true };
runSuite('trivy/nodejs/npm', {
  expected: (vector) => trivyExpected(vector, trivyNpm),
  actual: (vector, input) => lockOutcome(vector, parsePackageLock(text(input)), trivyNpm),
  exceptions: {
    'TestParse: lock version v3 with broken link [input/package-lock_v3_broken_link.json]':
      'trivy reports a folder outside node_modules only when a link points at it; Drydock reports every folder the lock records (as npm does), so functions/func1 1.0.0 appears',
    'TestParse: lock version v3 with legacy license formats [input/package-lock_v3_with_legacy_licenses.json]':
      'trivy drops a licence array of plain strings (pause-stream ["MIT", "Apache2"]); Drydock keeps those licences',
  },
});

// --- package.json of installed packages -------------------------------------------------------------

runSuite('trivy/nodejs/packagejson', {
  expected: (vector) => {
    const want = vector.expected['want'];
    const pkg = isRecord(want) && isRecord(want['Package']) ? want['Package'] : undefined;
    const rows: Row[] =
      pkg === undefined
        ? []
        : [
            {
              name: stringOf(pkg['Name']),
              version: stringOf(pkg['Version']),
              licenses: Array.isArray(pkg['Licenses']) ? pkg['Licenses'].map(stringOf) : [],
            },
          ];
    return { error: expectsError(vector.expected), rows };
  },
  actual: (_vector, input) => {
    const parsed = parsePackageJson(text(input));
    if (!parsed.ok) return { error: true, rows: [] };
    const { name, version, licenses } = parsed.manifest;
    return { error: false, rows: [{ name: name ?? '', version: version ?? '', licenses }] };
  },
});

// --- yarn.lock --------------------------------------------------------------------------------------

const scalibrYarn: Compared = { commit: true };
runSuite('osv-scalibr/javascript/yarnlock', {
  expected: (vector) => scalibrExpected(vector, scalibrYarn),
  actual: (vector, input) => lockOutcome(vector, parseYarnLock(text(input)), scalibrYarn),
  exceptions: {
    'TestExtractor_Extract_v1: files [input/files.v1.lock]':
      'osv-scalibr reports `etag@link:./deps/etag`; a link: entry is a symlink to a folder of the project, not an installed package, so Drydock skips it',
    'TestExtractor_Extract_v2: exclude root [input/exclude-root.v2.lock]':
      "osv-scalibr skips only the root workspace and reports `@ws/ansi-regex@workspace:ansi-regex` (0.0.0-use.local); Drydock skips every workspace: entry, as they are the project's own folders",
  },
});

const trivyYarn: Compared = {};
runSuite('trivy/nodejs/yarn', {
  expected: (vector) => trivyExpected(vector, trivyYarn),
  actual: (vector, input) => lockOutcome(vector, parseYarnLock(text(input)), trivyYarn),
  exceptions: {
    'TestParse: yarn with git dependency [input/yarn_with_git.lock]':
      'trivy skips packages installed from git; Drydock reports mapbox-gl-feature-drag-and-drop 1.1.1, which is installed code',
    'TestParse: yarn with local dependency [input/yarn_with_local.lock]':
      'trivy skips `file:` packages; Drydock reports local-package 0.0.1, a copy installed into node_modules',
  },
});

// --- pnpm-lock.yaml ---------------------------------------------------------------------------------

const scalibrPnpm: Compared = { dev: true, commit: true };
runSuite('osv-scalibr/javascript/pnpmlock', {
  expected: (vector) => scalibrExpected(vector, scalibrPnpm),
  actual: (vector, input) => lockOutcome(vector, parsePnpmLock(text(input)), scalibrPnpm),
  exceptions: {
    'TestExtractor_Extract_v9: one package dev [input/one-package-dev.v9.yaml]':
      'osv-scalibr reads no development flag from lockfile 9 (it has none per package); Drydock derives it from the importers, so acorn, a devDependency, is development-only',
    'TestExtractor_Extract_v9: mixed groups [input/mixed-groups.v9.yaml]':
      'as above: is-number is only a devDependency of the importer, so Drydock marks it development-only where osv-scalibr cannot',
  },
});

const trivyPnpm: Compared = { dev: true };
/** `want: "pnpmNormalpnpmV6Deps"` names Go variables: parse_testcase.go defines `pnpmV6 = pnpmNormal`. */
const trivyPnpmNormal = 'TestParse: normal [input/pnpm-lock_normal.yaml]';
runSuite('trivy/nodejs/pnpm', {
  expected: (vector) => {
    if (typeof vector.expected['want'] !== 'string') return trivyExpected(vector, trivyPnpm);
    const normal = loadTrivyPnpmCase(trivyPnpmNormal);
    return trivyExpected(vector, trivyPnpm, expectedPackages(normal.expected));
  },
  // trivy leaves development-only packages out of lockfile 5 and 6 results, and marks them in 9.
  actual: (vector, input) => {
    const parsed = parsePnpmLock(text(input));
    const lockfile9 = /^lockfileVersion: '9/m.test(text(input));
    return lockOutcome(vector, parsed, trivyPnpm, (row) => lockfile9 || row.dev !== true);
  },
  exceptions: {},
});

function loadTrivyPnpmCase(key: string): VectorCase {
  const found = loadSuite('trivy/nodejs/pnpm').find((vector) => vector.key === key);
  if (found === undefined) throw new Error(`no case ${key}`);
  return found;
}
