import { caselessGroups } from './rules/define.ts';

/**
 * The default path allowlist: files of system and vendor paths that ship keys, tokens and passwords
 * as documentation, test fixtures or examples, never as an image's own credentials. Paths are
 * image-relative (no leading `/`). `skipDefaultAllowlist` turns the whole list off.
 */
export interface AllowedPath {
  readonly pattern: RegExp;
  /** Why files there are not the image's secrets. */
  readonly reason: string;
  /**
   * Substrings the pattern cannot match without: the path holds one of each group. Checked before
   * the pattern, because every file of an image is asked and most are allowed by no entry (in a
   * scan of debian-node the twenty patterns alone took 0.16 s).
   */
  readonly needs?: readonly (readonly string[])[];
  /**
   * The pattern names folders only (it can match nothing after a path's last `/`): it is asked
   * about the file's folder, once for all the files of one folder that come in a row.
   */
  readonly folder?: true;
}

const docs = '(?:docs?|documentation|examples?|samples?)';
const tests = '(?:tests?|__tests__|spec|specs|testdata|fixtures?|__fixtures__|testing)';
/** Documentation suffixes, case ignored (a folder name around them is not); see caselessGroups. */
const prose = '(?i:\\.(?:md|markdown|rst|adoc|txt|html?))$';

/** Folder names `tests` and `docs` stand for, each with its slash. */
const testFolders = [
  'test/',
  'tests/',
  '__tests__/',
  'spec/',
  'specs/',
  'testdata/',
  'fixture/',
  'fixtures/',
  '__fixtures__/',
  'testing/',
];
const docFolders = ['doc/', 'docs/', 'documentation/', 'example/', 'examples/', 'sample/', 'samples/'];

export const defaultAllowedPaths: readonly AllowedPath[] = [
  {
    pattern: /^usr\/share\/(?:doc|man|info|locale|help|gtk-doc|javadoc|doc-base|common-licenses|lintian)\//,
    folder: true,
    needs: [['usr/share/']],
    reason:
      'distribution documentation, manual pages, translations and licences: prose about keys and passwords',
  },
  {
    pattern: /^usr\/(?:local\/)?include\//,
    folder: true,
    needs: [['include/']],
    reason: 'C headers: constants and struct members named password or token, no values',
  },
  {
    pattern: /^usr\/(?:local\/)?lib\/python[^/]*\/(?:[^/]+\/)*(?:test|tests|idle_test)\//,
    folder: true,
    needs: [['python'], ['test/', 'tests/']],
    reason:
      "the Python standard library's test suite ships test keys and certificates (keycert.pem and friends)",
  },
  {
    pattern: new RegExp(`^usr/(?:local/)?lib/(?:[^/]+/)*${tests}/`),
    folder: true,
    needs: [['lib/'], testFolders],
    reason:
      'test folders inside software installed under usr/lib (vendored third-party trees ship their test keys and tokens)',
  },
  {
    pattern: /(?:^|\/)(?:site|dist)-packages\/[^/]+\.(?:egg|dist)-info\//,
    folder: true,
    needs: [['-packages/'], ['-info/']],
    reason: "installed Python packages' metadata: PKG-INFO/METADATA carry the README with its examples",
  },
  {
    pattern: new RegExp(`(?:^|/)(?:site|dist)-packages/(?:[^/]+/)*${tests}/`),
    folder: true,
    needs: [['-packages/'], testFolders],
    reason: 'tests shipped inside installed Python packages use fixed test keys and tokens',
  },
  {
    pattern: caselessGroups(`(?:^|/)(?:site|dist)-packages/.*${prose}`),
    needs: [['-packages/']],
    reason: "installed Python packages' documentation files show example credentials",
  },
  {
    pattern: new RegExp(`(?:^|/)node_modules/(?:[^/]+/)*(?:${tests}|${docs}|benchmarks?|bench|demo)/`),
    folder: true,
    needs: [
      ['node_modules/'],
      [...testFolders, ...docFolders, 'benchmark/', 'benchmarks/', 'bench/', 'demo/'],
    ],
    reason: 'tests, documentation and examples inside npm packages use made-up or test-only keys',
  },
  {
    pattern: caselessGroups(`(?:^|/)node_modules/.*${prose}`),
    needs: [['node_modules/']],
    reason:
      "npm packages' README, CHANGELOG and other documentation show example tokens and connection strings",
  },
  {
    pattern: /(?:^|\/)node_modules\/(?:[^/]+\/)*[^/]+\.d\.[cm]?ts$/,
    needs: [['node_modules/'], ['.d.']],
    reason:
      "TypeScript declaration files in npm packages hold types and doc comments, never a program's values",
  },
  {
    pattern: /(?:^|\/)node_modules\/(?:[^/]+\/)*(?:[^/]+[.-])?(?:test|tests|spec)\.[cm]?[jt]s$/,
    needs: [['node_modules/'], ['test.', 'tests.', 'spec.']],
    reason: 'test files of npm packages kept beside their code (test.js, foo.test.js, foo-spec.ts)',
  },
  {
    pattern: /(?:^|\/)node_modules\/(?:[^/]+\/)*[^/]*\.examples?\.json$/,
    needs: [['node_modules/'], ['.example']],
    reason:
      "npm packages' API example files (the AWS SDK's apis/*.examples.json) show made-up tokens and keys",
  },
  {
    pattern: /(?:^|\/)node_modules\/(?:[^/]+\/)*[^/]+(?:\.(?:[cm]?[jt]sx?|css)\.map|\.tsbuildinfo)$/,
    needs: [['node_modules/'], ['.map', '.tsbuildinfo']],
    reason:
      "source maps and TypeScript build-info files of npm packages are generated from the package's code, which is searched in its own files",
  },
  {
    pattern: new RegExp(`(?:^|/)vendor/(?:[^/]+/)*(?:${tests}|${docs})/`),
    folder: true,
    needs: [['vendor/'], [...testFolders, ...docFolders]],
    reason: 'vendored Go and PHP (Composer) dependencies: their tests and examples',
  },
  {
    pattern: caselessGroups(`(?:^|/)vendor/.*${prose}`),
    needs: [['vendor/']],
    reason: 'vendored dependencies: their documentation files',
  },
  {
    pattern: /(?:^|\/)pkg\/mod\/(?:.*\/testdata\/|.*_test\.go$)/,
    needs: [['pkg/mod/'], ['/testdata/', '_test.go']],
    reason:
      'the Go module cache: testdata/ folders and _test.go files of dependencies (crypto/tls test keys and the like)',
  },
  {
    pattern: /^usr\/(?:local\/go|lib\/go[^/]*|share\/go[^/]*)\/(?:src|test)\/(?:.*\/testdata\/|.*_test\.go$)/,
    needs: [['/go'], ['/testdata/', '_test.go']],
    reason: "the Go toolchain's own tests and testdata (Debian keeps the sources in usr/share/go-1.NN)",
  },
  {
    pattern: /^usr\/share\/cmake[^/]*\/Templates\//,
    folder: true,
    needs: [['/Templates/']],
    reason: "CMake's project templates, among them a throw-away signing key for Windows Store packages",
  },
  {
    pattern: new RegExp(`(?:^|/)gems/[^/]+/(?:${tests}|${docs})/`),
    folder: true,
    needs: [['gems/'], [...testFolders, ...docFolders]],
    reason: 'tests and examples inside installed Ruby gems',
  },
  {
    pattern: new RegExp(`(?:^|/)\\.cargo/registry/src/[^/]+/[^/]+/(?:${tests}|${docs}|benches)/`),
    folder: true,
    needs: [['.cargo/registry/src/']],
    reason: 'tests and examples of Rust crates in the Cargo registry cache',
  },
  {
    pattern: /^usr\/share\/(?:perl5?|perl\/[^/]+)\/(?:.*\/)?(?:t|tests?)\//,
    folder: true,
    needs: [['usr/share/perl'], ['t/', 'tests/']],
    reason: 'tests shipped with Perl modules',
  },
  {
    pattern: /(?:^|\/)(?:test|tests|spec)\/(?:fixtures?|data)\/|(?:^|\/)__fixtures__\//,
    folder: true,
    needs: [['test/', 'tests/', 'spec/', '__fixtures__/']],
    reason: 'test fixture folders of any project: fixed keys made for tests',
  },
];

function mayAllow(entry: AllowedPath, path: string): boolean {
  const needs = entry.needs;
  if (needs === undefined) return true;
  for (let group = 0; group < needs.length; group++) {
    const anyOf = needs[group] as readonly string[];
    let found = false;
    for (let i = 0; i < anyOf.length && !found; i++) found = path.includes(anyOf[i] as string);
    if (!found) return false;
  }
  return true;
}

function firstAllowing(entries: readonly AllowedPath[], path: string): number {
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index] as AllowedPath;
    if (mayAllow(entry, path) && entry.pattern.test(path)) return index;
  }
  return -1;
}

const folderEntries = defaultAllowedPaths.filter((entry) => entry.folder === true);
const fileEntries = defaultAllowedPaths.filter((entry) => entry.folder !== true);
/** Each file entry's place in the whole list, which decides the answer when several allow a path. */
const fileEntryPlaces = fileEntries.map((entry) => defaultAllowedPaths.indexOf(entry));

/** The last folder asked about and its first allowing folder entry (a layer lists a folder's files together). */
let lastFolder: string | undefined;
let lastFolderEntry: AllowedPath | undefined;
let lastFolderPlace = defaultAllowedPaths.length;

/** The first default entry that allows `path`, or undefined. */
export function defaultPathAllowance(path: string): AllowedPath | undefined {
  const folder = path.slice(0, path.lastIndexOf('/') + 1);
  if (folder !== lastFolder) {
    const index = firstAllowing(folderEntries, folder);
    lastFolderEntry = index < 0 ? undefined : folderEntries[index];
    lastFolderPlace = lastFolderEntry
      ? defaultAllowedPaths.indexOf(lastFolderEntry)
      : defaultAllowedPaths.length;
    lastFolder = folder;
  }
  for (let index = 0; index < fileEntries.length; index++) {
    if ((fileEntryPlaces[index] as number) > lastFolderPlace) break;
    const entry = fileEntries[index] as AllowedPath;
    if (mayAllow(entry, path) && entry.pattern.test(path)) return entry;
  }
  return lastFolderEntry;
}
