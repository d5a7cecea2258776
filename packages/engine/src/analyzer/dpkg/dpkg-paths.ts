/** The dpkg database and documentation files the analyzer reads, by role. */
export type DpkgFile =
  | { readonly kind: 'status' }
  /** A distroless one-package database file, `status.d/NAME`. */
  | { readonly kind: 'status-part' }
  /** `info/NAME.list` or `info/NAME:ARCH.list`. */
  | { readonly kind: 'list'; readonly packageName: string }
  /** `info/NAME.md5sums` or distroless `status.d/NAME.md5sums`. */
  | { readonly kind: 'md5sums'; readonly packageName: string }
  /** `usr/share/doc/NAME/copyright`, NAME without an architecture. */
  | { readonly kind: 'copyright'; readonly packageName: string };

export const statusPath = 'var/lib/dpkg/status';
export const statusPartsPrefix = 'var/lib/dpkg/status.d/';
const infoPrefix = 'var/lib/dpkg/info/';
const docPrefix = 'usr/share/doc/';
const copyrightSuffix = '/copyright';
const md5sumsSuffix = '.md5sums';

/** The single path component after `prefix` and before `suffix`, or undefined. */
function between(path: string, prefix: string, suffix: string): string | undefined {
  if (!path.startsWith(prefix) || !path.endsWith(suffix)) return undefined;
  const name = path.slice(prefix.length, path.length - suffix.length);
  return name === '' || name.includes('/') ? undefined : name;
}

/** What a path is to the dpkg analyzer, or undefined when it does not read it. */
export function classifyDpkgPath(path: string): DpkgFile | undefined {
  if (path === statusPath) return { kind: 'status' };
  const part = between(path, statusPartsPrefix, '');
  if (part !== undefined) {
    if (!part.endsWith(md5sumsSuffix)) return { kind: 'status-part' };
    const stem = part.slice(0, -md5sumsSuffix.length);
    return stem === '' ? undefined : { kind: 'md5sums', packageName: stem };
  }
  const list = between(path, infoPrefix, '.list');
  if (list !== undefined) return { kind: 'list', packageName: list };
  const md5sums = between(path, infoPrefix, md5sumsSuffix);
  if (md5sums !== undefined) return { kind: 'md5sums', packageName: md5sums };
  const documented = between(path, docPrefix, copyrightSuffix);
  if (documented !== undefined) return { kind: 'copyright', packageName: documented };
  return undefined;
}

/** Every path `isDpkgInfoOrCopyright` accepts ends with one of these (its guard). */
export const dpkgWantedSuffixes: readonly string[] = ['.list', md5sumsSuffix, copyrightSuffix];

/** The `wants` predicate: the info lists and sums and the copyright files, which data alone cannot name. */
export function isDpkgInfoOrCopyright(path: string): boolean {
  if (path.startsWith(infoPrefix)) return path.endsWith('.list') || path.endsWith(md5sumsSuffix);
  return path.startsWith(docPrefix) && path.endsWith(copyrightSuffix);
}
