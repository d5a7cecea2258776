import { parseAllDocuments } from 'yaml';
import { yamlNestingProblem } from '../../util/yaml-nesting.ts';
import { commitOf } from './git-commit.ts';
import { isObject, objectAt, stringAt, type JsonObject } from './json-value.ts';
import { lockFailed, lockParsed, type LockedPackage, type LockParse } from './locked-package.ts';
import { parsePnpmKey, withoutPeers } from './pnpm-dep-path.ts';

const emptyObject: JsonObject = {};

/**
 * Reads pnpm-lock.yaml, lockfile versions 5 to 9 (https://github.com/pnpm/spec/tree/master/lockfile).
 * Up to version 6 `packages` lists every installed instance with a `dev` flag; version 9 keeps the
 * package metadata in `packages` and the instances (one per set of peers) in `snapshots`, and says
 * which are development-only only through `importers`: an instance is development-only when it is
 * reachable from some importer's `devDependencies` but from no `dependencies` or
 * `optionalDependencies`. pnpm 11 may write a first YAML document for its own tooling; the project's
 * lock is the last document.
 */
export function parsePnpmLock(text: string): LockParse {
  const tooDeep = yamlNestingProblem(text);
  if (tooDeep !== undefined) return lockFailed(`not a lock file: ${tooDeep}`);
  let lock: unknown;
  try {
    const documents = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: false });
    const document = Array.isArray(documents) ? documents.at(-1) : undefined;
    if (document === undefined) return lockParsed([]);
    const [error] = document.errors;
    if (error !== undefined) return lockFailed(`not YAML: ${error.message}`);
    lock = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return lockFailed(`not YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (lock === null || lock === undefined || lock === '') return lockParsed([]);
  if (!isObject(lock)) return lockFailed('pnpm-lock.yaml is not a YAML mapping');

  const packages = objectAt(lock, 'packages') ?? emptyObject;
  const snapshots = objectAt(lock, 'snapshots');
  const devOnly = snapshots === undefined ? undefined : developmentOnly(lock, snapshots);
  const found: LockedPackage[] = [];
  const problems: string[] = [];
  for (const key of Object.keys(snapshots ?? packages)) {
    const entry = objectAt(packages, snapshots === undefined ? key : withoutPeers(key)) ?? emptyObject;
    const fromKey = parsePnpmKey(key);
    const name = stringAt(entry, 'name') ?? fromKey?.name;
    const version = stringAt(entry, 'version') ?? fromKey?.version;
    if (name === undefined) {
      // Keys of git, tarball and directory packages without a name are skipped quietly; a key that is
      // not a path at all is a damaged lock.
      if (!/[/@:]/.test(key)) problems.push(`invalid dependency path ${key.slice(0, 200)}`);
      continue;
    }
    const resolution = objectAt(entry, 'resolution') ?? emptyObject;
    found.push({
      name,
      version: version ?? '',
      dev: devOnly === undefined ? stringAt(entry, 'dev') === 'true' : devOnly.has(key),
      licenses: [],
      commit: stringAt(resolution, 'commit') ?? commitOf(stringAt(resolution, 'tarball')),
    });
  }
  return lockParsed(found, problems);
}

/** Lockfile 9: the snapshot keys reachable from development roots only. */
function developmentOnly(lock: JsonObject, snapshots: JsonObject): ReadonlySet<string> {
  const runtimeRoots: string[] = [];
  const developmentRoots: string[] = [];
  for (const importer of Object.values(objectAt(lock, 'importers') ?? emptyObject)) {
    if (!isObject(importer)) continue;
    runtimeRoots.push(...dependencyKeys(objectAt(importer, 'dependencies')));
    runtimeRoots.push(...dependencyKeys(objectAt(importer, 'optionalDependencies')));
    developmentRoots.push(...dependencyKeys(objectAt(importer, 'devDependencies')));
  }
  const runtime = reachable(runtimeRoots, snapshots);
  const development = reachable(developmentRoots, snapshots);
  return new Set([...development].filter((key) => !runtime.has(key)));
}

function reachable(roots: readonly string[], snapshots: JsonObject): Set<string> {
  const seen = new Set<string>();
  const pending = [...roots];
  for (let key = pending.pop(); key !== undefined; key = pending.pop()) {
    if (seen.has(key)) continue;
    seen.add(key);
    const snapshot = objectAt(snapshots, key);
    if (snapshot === undefined) continue;
    pending.push(...dependencyKeys(objectAt(snapshot, 'dependencies')));
    pending.push(...dependencyKeys(objectAt(snapshot, 'optionalDependencies')));
  }
  return seen;
}

/**
 * Snapshot keys of a dependency map: `name: 1.2.3(peer@1)` is `name@1.2.3(peer@1)`, an alias
 * `name: real@1.2.3` is `real@1.2.3`, importers write `{ specifier, version }`; `link:` folders are
 * not packages.
 */
function dependencyKeys(dependencies: JsonObject | undefined): string[] {
  const keys: string[] = [];
  for (const [name, value] of Object.entries(dependencies ?? emptyObject)) {
    const reference = isObject(value)
      ? stringAt(value, 'version')
      : typeof value === 'string'
        ? value
        : undefined;
    if (reference === undefined || reference.startsWith('link:')) continue;
    keys.push(/^(?:@[^/@]+\/)?[^@/:(]+@/.test(reference) ? reference : `${name}@${reference}`);
  }
  return keys;
}
