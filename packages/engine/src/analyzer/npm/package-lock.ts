import { commitOf } from './git-commit.ts';
import { isObject, objectAt, parseJson, stringAt, type JsonObject } from './json-value.ts';
import { declaredLicenses } from './licenses.ts';
import {
  lockFailed,
  lockParsed,
  mergeOccurrences,
  type LockedPackage,
  type LockParse,
} from './locked-package.ts';
import { aliasTarget } from './package-name.ts';

const nodeModules = 'node_modules/';

/**
 * Reads package-lock.json and npm-shrinkwrap.json
 * (https://docs.npmjs.com/cli/v11/configuring-npm/package-lock-json). Lock versions 2 and 3 list
 * every installed folder under `packages`, keyed by its path (`node_modules/a/node_modules/b`);
 * version 1 nests `dependencies` the way node_modules is nested. Each name, version and commit is
 * reported once, development-only when every copy is.
 */
export function parsePackageLock(text: string): LockParse {
  const parsed = parseJson(text);
  if (!parsed.ok) return lockFailed(`not JSON: ${parsed.error}`);
  if (!isObject(parsed.value)) return lockFailed('package lock is not a JSON object');
  const packages = objectAt(parsed.value, 'packages');
  if (packages !== undefined) return lockParsed(mergeOccurrences(fromPackages(packages)));
  return lockParsed(mergeOccurrences(fromDependencies(objectAt(parsed.value, 'dependencies') ?? {})));
}

/**
 * Lock versions 2 and 3. The root (`""`) is the project itself and `link: true` entries are
 * symlinks to another entry (a workspace or a `file:` directory), which is reported under the name
 * the link gives it when it names none itself.
 */
function fromPackages(packages: JsonObject): LockedPackage[] {
  const linkNames = new Map<string, string>();
  for (const [location, entry] of Object.entries(packages)) {
    if (!isObject(entry) || entry['link'] !== true) continue;
    const target = stringAt(entry, 'resolved');
    if (target) linkNames.set(target, installedName(location));
  }
  const found: LockedPackage[] = [];
  for (const [location, entry] of Object.entries(packages)) {
    if (location === '' || !isObject(entry) || entry['link'] === true) continue;
    const name =
      stringAt(entry, 'name') ??
      (location.includes(nodeModules)
        ? installedName(location)
        : (linkNames.get(location) ?? lastSegment(location)));
    if (name === '') continue;
    found.push({
      name,
      version: stringAt(entry, 'version') ?? '',
      dev: entry['dev'] === true,
      licenses: declaredLicenses(entry),
      commit: commitOf(stringAt(entry, 'resolved')),
    });
  }
  return found;
}

/** Lock version 1: `dependencies` nested like node_modules, walked without recursion. */
function fromDependencies(root: JsonObject): LockedPackage[] {
  const found: LockedPackage[] = [];
  const pending: JsonObject[] = [root];
  for (let level = pending.pop(); level !== undefined; level = pending.pop()) {
    for (const [key, entry] of Object.entries(level)) {
      if (!isObject(entry)) continue;
      const nested = objectAt(entry, 'dependencies');
      if (nested !== undefined) pending.push(nested);
      const written = stringAt(entry, 'version') ?? '';
      const alias = aliasTarget(written);
      // A version that is a URL or a path (git, github:, file:) says where the code came from, not its version.
      const isSpec = alias === undefined && /[:/#]/.test(written);
      found.push({
        name: alias?.name ?? key,
        version: alias?.range ?? (isSpec ? '' : written),
        dev: entry['dev'] === true,
        licenses: declaredLicenses(entry),
        commit: isSpec ? commitOf(written) : commitOf(stringAt(entry, 'resolved')),
      });
    }
  }
  return found;
}

/** The package name a node_modules path installs: what follows its last `node_modules/`. */
function installedName(location: string): string {
  const marker = location.lastIndexOf(nodeModules);
  return marker < 0 ? lastSegment(location) : location.slice(marker + nodeModules.length);
}

function lastSegment(location: string): string {
  return location.slice(location.lastIndexOf('/') + 1);
}
