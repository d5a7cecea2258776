import { isValidPackageName, splitDescriptor } from './package-name.ts';

/** What a pnpm package key says: the name, and the version when the key carries a registry version. */
export interface PnpmKey {
  readonly name: string;
  readonly version: string | undefined;
}

/** pnpm writes registry versions as full semver; a commit hash in a key's last segment is not one. */
const semverStart = /^\d+\.\d+\.\d+/;

/**
 * Reads a pnpm-lock.yaml package key ("dependency path",
 * https://github.com/pnpm/spec/blob/master/lockfile/9.0.md and the earlier versions beside it):
 *
 * - lockfile 5: `/name/1.2.3`, `/@scope/name/1.2.3_peer@1.0.0`, `registry.example.com/name/1.2.3`;
 * - lockfile 6: `/name@1.2.3(peer@1.0.0)`, `/@scope/name@1.2.3`;
 * - lockfile 9: `name@1.2.3(peer@1.0.0)`, and `name@<url or file:path>` for packages not from a registry.
 *
 * Returns `undefined` for keys that name no package (`github.com/user/repo`, `file:../dir`); the entry's
 * own `name` and `version` fields then decide.
 */
export function parsePnpmKey(key: string): PnpmKey | undefined {
  const bare = withoutPeers(key.startsWith('/') ? key.slice(1) : key);
  const descriptor = splitDescriptor(bare);
  const { name, range } = descriptor;
  // `name@1.2.3`, or lockfile 9's `name@https://...` / `name@file:...` whose version is in the entry.
  if (isValidPackageName(name) && (semverStart.test(range) || range.includes(':'))) {
    return { name, version: semverStart.test(range) ? range : undefined };
  }
  return slashKey(bare);
}

/**
 * Keys with a registry host or in lockfile 5 form: `[host/]name/version[_peers]` and lockfile 6's
 * `host/name@version`, the name one segment, or two when scoped.
 */
function slashKey(key: string): PnpmKey | undefined {
  const segments = key.split('/');
  const last = segments.at(-1) ?? '';
  const at = last.indexOf('@', 1);
  const lockfile5 = /^\d/.test(last) || at < 0;
  const [base, version, scope] = lockfile5
    ? [segments.at(-2) ?? '', last.split('_')[0] ?? '', segments.at(-3)]
    : [last.slice(0, at), last.slice(at + 1), segments.at(-2)];
  if (base === '' || !semverStart.test(version)) return undefined;
  const name = scope?.startsWith('@') ? `${scope}/${base}` : base;
  return isValidPackageName(name) ? { name, version } : undefined;
}

/** Drops the `(peer@1.0.0)(other@2.0.0)` suffix of lockfile 6 and 9 keys. */
export function withoutPeers(key: string): string {
  const open = key.indexOf('(');
  return open < 0 ? key : key.slice(0, open);
}
