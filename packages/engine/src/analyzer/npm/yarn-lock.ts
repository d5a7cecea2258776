import { parse as parseYaml } from 'yaml';
import { yamlNestingProblem } from '../../util/yaml-nesting.ts';
import { commitOf } from './git-commit.ts';
import { isObject, stringAt } from './json-value.ts';
import { lockFailed, lockParsed, type LockedPackage, type LockParse } from './locked-package.ts';
import { aliasTarget, splitDescriptor } from './package-name.ts';
import { parseYarnV1Entries } from './yarn-lock-v1-format.ts';

/**
 * Protocols whose entries are packages installed into the project: the registry, git hosts and URLs,
 * and `file:` copies. `link:`, `portal:` and `workspace:` point at the project's own folders and
 * `patch:` repeats a package listed on its own; those, `exec:` and protocols unknown here are skipped.
 */
const installedProtocols: ReadonlySet<string> = new Set([
  'npm',
  'git',
  'git+ssh',
  'git+https',
  'git+http',
  'git+file',
  'ssh',
  'http',
  'https',
  'github',
  'gitlab',
  'bitbucket',
  'file',
]);

/** A range's protocol (`npm`, `git+ssh`, `workspace`), or `undefined` for a plain semver range or `user/repo` shorthand. */
function protocolOf(range: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):/i.exec(range)?.[1]?.toLowerCase();
}

function isInstalled(range: string): boolean {
  const protocol = protocolOf(range);
  return protocol === undefined || installedProtocols.has(protocol);
}

/**
 * Reads yarn.lock: yarn berry (2+) writes YAML with a `__metadata` entry, yarn classic (1) its own
 * format. yarn.lock records no development flag, so `dev` is left unknown.
 */
export function parseYarnLock(text: string): LockParse {
  return /^__metadata:/m.test(text) ? parseBerry(text) : parseClassic(text);
}

/** yarn classic, https://classic.yarnpkg.com/lang/en/docs/yarn-lock/ . */
function parseClassic(text: string): LockParse {
  const packages: LockedPackage[] = [];
  const problems: string[] = [];
  for (const entry of parseYarnV1Entries(text)) {
    const first = entry.descriptors[0];
    const version = entry.fields.get('version');
    if (first === undefined) continue;
    if (version === undefined) {
      problems.push(`entry ${first.slice(0, 200)} has no version`);
      continue;
    }
    const descriptor = splitDescriptor(first);
    if (!isInstalled(descriptor.range)) continue;
    packages.push({
      name: aliasTarget(descriptor.range)?.name ?? descriptor.name,
      version,
      dev: undefined,
      licenses: [],
      commit: commitOf(entry.fields.get('resolved')),
    });
  }
  return lockParsed(packages, problems);
}

/**
 * yarn berry, https://yarnpkg.com/configuration/yarnrc and the lockfile written by
 * @yarnpkg/core: YAML mapping descriptors to `{ version, resolution: "name@protocol:reference" }`.
 * The resolution names the real package (aliases resolve to their target) and its protocol.
 */
function parseBerry(text: string): LockParse {
  const tooDeep = yamlNestingProblem(text);
  if (tooDeep !== undefined) return lockFailed(`not a lock file: ${tooDeep}`);
  let document: unknown;
  try {
    // failsafe: every scalar stays a string, so `version: 1.10` is not read as the number 1.1.
    document = parseYaml(text, { schema: 'failsafe', maxAliasCount: 100, uniqueKeys: false });
  } catch (error) {
    return lockFailed(`not YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(document)) return lockFailed('yarn.lock is not a YAML mapping');
  const packages: LockedPackage[] = [];
  for (const [key, entry] of Object.entries(document)) {
    if (key === '__metadata' || !isObject(entry)) continue;
    const resolution = stringAt(entry, 'resolution') ?? key.split(',')[0]?.trim() ?? '';
    const { name, range } = splitDescriptor(resolution);
    if (name === '' || !isInstalled(range)) continue;
    const reference = range.startsWith('npm:') ? range.slice('npm:'.length) : '';
    packages.push({
      name,
      version: stringAt(entry, 'version') ?? reference,
      dev: undefined,
      licenses: [],
      commit: protocolOf(range) === 'npm' ? undefined : commitOf(range),
    });
  }
  return lockParsed(packages);
}
