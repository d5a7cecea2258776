import type { Deb822Paragraph } from './deb822.ts';

/** One installed binary package as dpkg records it. */
export interface DpkgPackage {
  readonly name: string;
  /** `[epoch:]upstream[-revision]`, as written. */
  readonly version: string;
  /** `Architecture`; undefined when the stanza has none. */
  readonly arch: string | undefined;
  /** The source package, filled in as dpkg-query's `${source:Package}` and `${source:Version}` are. */
  readonly source: { readonly name: string; readonly version: string };
  /** Package names in `Pre-Depends` and `Depends` (alternatives included), without versions. */
  readonly depends: readonly string[];
  /** The 1-based line of the stanza in its file. */
  readonly line: number;
}

export interface InstalledPackages {
  readonly packages: readonly DpkgPackage[];
  /** Installed stanzas that could not become a package (no `Package` or no `Version`). */
  readonly problems: readonly string[];
}

/**
 * Whether a stanza describes an installed package. `Status` is `want flag status`
 * (https://man7.org/linux/man-pages/man1/dpkg-query.1.html, `${Status}`): only the third word
 * `installed` counts, whatever is wanted (`hold ok installed`, `deinstall reinstreq installed`).
 * Without a `Status` field, a stanza of `status` is not installed (dpkg's default state), while the
 * one-package files of distroless `status.d/` never carry one and are installed.
 */
export function isInstalled(status: string | undefined, statusRequired: boolean): boolean {
  if (status === undefined) return !statusRequired;
  const words = status.split(/\s+/).filter(Boolean);
  return words.length === 3 && words[2] === 'installed';
}

/**
 * The `Source` field: `name` or `name (version)`. Absent parts default to the binary package's
 * own name and version, as dpkg-query's `source:Package` / `source:Version` do.
 * https://www.debian.org/doc/debian-policy/ch-controlfields.html#source
 */
export function sourceOf(
  field: string | undefined,
  name: string,
  version: string,
): { readonly name: string; readonly version: string } {
  const text = field?.split('\n')[0]?.trim() ?? '';
  if (text === '') return { name, version };
  const match = /^(\S+)(?:\s*\(\s*([^)\s]*)\s*\))?/.exec(text);
  return { name: match?.[1] ?? name, version: match?.[2] || version };
}

/** Names in a relationship field: `a (>= 1), b | c:any` → `a`, `b`, `c`. */
function relationNames(field: string | undefined): string[] {
  if (field === undefined) return [];
  const names: string[] = [];
  for (const alternative of field.split(/[,|]/)) {
    const name = /^\s*([a-z0-9][a-z0-9+.-]*)/i.exec(alternative)?.[1];
    if (name !== undefined) names.push(name.toLowerCase());
  }
  return names;
}

/**
 * The installed packages of a dpkg database's stanzas (`var/lib/dpkg/status` or a `status.d/` file).
 * Fields per deb-control(5) and dpkg-query(1): `Package`, `Version` (with its epoch), `Architecture`,
 * `Source`, `Status`. https://man7.org/linux/man-pages/man5/deb-control.5.html
 */
export function installedPackages(
  paragraphs: readonly Deb822Paragraph[],
  statusRequired: boolean,
): InstalledPackages {
  const packages: DpkgPackage[] = [];
  const problems: string[] = [];
  for (const { fields, line } of paragraphs) {
    if (!isInstalled(fields.get('status'), statusRequired)) continue;
    const name = fields.get('package')?.split('\n')[0]?.trim() ?? '';
    const version = fields.get('version')?.split('\n')[0]?.trim() ?? '';
    if (name === '' || version === '') {
      problems.push(`stanza at line ${line} has no ${name === '' ? 'Package' : 'Version'}`);
      continue;
    }
    const arch = fields.get('architecture')?.split('\n')[0]?.trim() || undefined;
    packages.push({
      name,
      version,
      arch,
      source: sourceOf(fields.get('source'), name, version),
      depends: [...relationNames(fields.get('pre-depends')), ...relationNames(fields.get('depends'))],
      line,
    });
  }
  return { packages, problems };
}
