/** One package of apk's installed database. */
export interface ApkPackage {
  /** `P` */
  readonly name: string;
  /** `V`, `1.2.3-r0` */
  readonly version: string;
  /** `A`; undefined when absent. */
  readonly arch: string | undefined;
  /** `o`, the source package (aports origin); undefined when absent. */
  readonly origin: string | undefined;
  /** `L`, as written (an SPDX expression in current Alpine, free text in old databases). */
  readonly license: string | undefined;
  /** `R` entries joined to the `F` directory before them, relative to the root, in database order. */
  readonly files: readonly string[];
  /** The 1-based line where the package's entry starts. */
  readonly line: number;
}

export interface ApkDatabase {
  readonly packages: readonly ApkPackage[];
  /** The first few problems, in file order; `problemCount` counts them all. */
  readonly problems: readonly string[];
  readonly problemCount: number;
}

const keptProblems = 10;

/** `/usr/lib/` → `usr/lib`: directories relative to the root (apk writes them so already). */
function trimSlashes(path: string): string {
  let start = 0;
  let end = path.length;
  while (start < end && path.charCodeAt(start) === 0x2f) start++;
  while (end > start && path.charCodeAt(end - 1) === 0x2f) end--;
  return path.slice(start, end);
}

interface Entry {
  line: number;
  name: string;
  version: string;
  arch: string | undefined;
  origin: string | undefined;
  license: string | undefined;
  directory: string;
  files: string[];
}

function emptyEntry(line: number): Entry {
  return {
    line,
    name: '',
    version: '',
    arch: undefined,
    origin: undefined,
    license: undefined,
    directory: '',
    files: [],
  };
}

/**
 * Parses apk's installed database (`lib/apk/db/installed`), https://wiki.alpinelinux.org/wiki/Apk_spec
 * ("Installed Database"): one entry per package, entries separated by blank lines, one `K:value` line per
 * field with a one-letter key. Read here: `P` name, `V` version, `A` architecture, `o` origin, `L`
 * licence, `F` directory and the `R` files in it (an `R` before any `F` is in the root); the other keys
 * (checksums, sizes, dependencies, ACLs, maintainer, build time, commit) are skipped. A line that is not
 * `K:value` and an entry without `P` or `V` are problems: reported, skipped, and parsing goes on.
 */
export function parseApkInstalled(text: string): ApkDatabase {
  const packages: ApkPackage[] = [];
  const problems: string[] = [];
  let problemCount = 0;
  const problem = (message: string): void => {
    problemCount++;
    if (problems.length < keptProblems) problems.push(message);
  };

  let entry: Entry | undefined;
  const close = (): void => {
    if (entry === undefined) return;
    const { line, name, version, arch, origin, license, files } = entry;
    if (name === '' || version === '')
      problem(`entry at line ${line} has no ${name === '' ? 'P (name)' : 'V (version)'}`);
    else packages.push({ name, version, arch, origin, license, files, line });
    entry = undefined;
  };

  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index] ?? '';
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') {
      close();
      continue;
    }
    const key = line[0] ?? '';
    if (line[1] !== ':' || !/^[A-Za-z]$/.test(key)) {
      problem(`line ${index + 1} is not a "K:value" field`);
      continue;
    }
    entry ??= emptyEntry(index + 1);
    const value = line.slice(2);
    switch (key) {
      case 'P':
        entry.name = value.trim();
        break;
      case 'V':
        entry.version = value.trim();
        break;
      case 'A':
        entry.arch = value.trim() || undefined;
        break;
      case 'o':
        entry.origin = value.trim() || undefined;
        break;
      case 'L':
        entry.license = value.trim() || undefined;
        break;
      case 'F':
        entry.directory = trimSlashes(value);
        break;
      case 'R':
        if (value !== '') entry.files.push(entry.directory === '' ? value : `${entry.directory}/${value}`);
        break;
      default:
        break;
    }
  }
  close();
  return { packages, problems, problemCount };
}
