import type { AnalyzedFile, AnalyzerContext, LayerGroupAnalyzer } from '../contract.ts';
import type { DiagnosticFact, Fact, OwnedFilesFact, PackageFact } from '../fact.ts';
import { purlOf } from '../purl.ts';
import { copyrightLicenses } from './copyright-licenses.ts';
import { parseDeb822 } from './deb822.ts';
import {
  classifyDpkgPath,
  dpkgWantedSuffixes,
  isDpkgInfoOrCopyright,
  statusPartsPrefix,
  statusPath,
} from './dpkg-paths.ts';
import { installedPackages, type DpkgPackage } from './installed-packages.ts';
import { listFiles, md5sumsFiles } from './owned-files.ts';

const analyzerId = 'dpkg';
const MiB = 1024 * 1024;

interface Found {
  readonly path: string;
  readonly pkg: DpkgPackage;
}

function diagnostic(context: AnalyzerContext, path: string, message: string): DiagnosticFact {
  return { kind: 'diagnostic', layer: context.layer, path, source: analyzerId, code: 'parse_error', message };
}

/** The installed packages of one status file, and a diagnostic summing up what could not be read. */
function readDatabase(file: AnalyzedFile, statusRequired: boolean, context: AnalyzerContext) {
  const document = parseDeb822(file.content.toString('utf8'));
  const { packages, problems } = installedPackages(document.paragraphs, statusRequired);
  const messages = [...document.problems.map(({ line, message }) => `line ${line}: ${message}`), ...problems];
  const count = document.problemCount + problems.length;
  const first = messages[0];
  const report =
    first === undefined
      ? undefined
      : diagnostic(context, file.path, `${count} problem(s) in the dpkg database, the first: ${first}`);
  return { found: packages.map((pkg): Found => ({ path: file.path, pkg })), report };
}

/**
 * Licences of one package. Its own `usr/share/doc/NAME/copyright` in this layer wins, even when it names
 * none. Without one, Debian policy 12.5 lets `usr/share/doc/NAME` be a symlink to the directory of a
 * package of the same source that it depends on (libgcc-s1 → gcc-12-base), which the walker does not
 * follow: such a sibling's copyright is used, a dependency first.
 */
function licensesOf(
  pkg: DpkgPackage,
  bySource: ReadonlyMap<string, readonly DpkgPackage[]>,
  copyright: (name: string) => string[] | undefined,
): string[] {
  const own = copyright(pkg.name);
  if (own !== undefined) return own;
  const siblings = (bySource.get(pkg.source.name) ?? []).filter((other) => other.name !== pkg.name);
  const ordered = [
    ...siblings.filter((other) => pkg.depends.includes(other.name)),
    ...siblings.filter((other) => !pkg.depends.includes(other.name)),
  ];
  for (const sibling of ordered) {
    const licenses = copyright(sibling.name);
    if (licenses !== undefined) return licenses;
  }
  return [];
}

/**
 * Debian and Ubuntu packages, from the dpkg database of one layer: `var/lib/dpkg/status` and the
 * distroless `var/lib/dpkg/status.d/*` files give the installed packages; `info/*.list` (else
 * `*.md5sums`) the files each owns, as separate facts; `usr/share/doc/NAME/copyright` the licences of
 * the packages this layer's database lists. See readme.md for the rules and the specs.
 */
export const dpkgAnalyzer: LayerGroupAnalyzer = {
  kind: 'group',
  id: analyzerId,
  version: 2,
  wants: {
    paths: [statusPath],
    prefixes: [statusPartsPrefix],
    match: isDpkgInfoOrCopyright,
    matchGuard: { suffixes: dpkgWantedSuffixes },
    maxBytes: 64 * MiB,
  },
  analyzeGroup(files, context): readonly Fact[] {
    const facts: Fact[] = [];
    const found: Found[] = [];
    const lists = new Map<string, AnalyzedFile>();
    const sums = new Map<string, AnalyzedFile>();
    const copyrights = new Map<string, AnalyzedFile>();
    for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
      context.signal.throwIfAborted();
      const role = classifyDpkgPath(file.path);
      if (role === undefined) continue;
      switch (role.kind) {
        case 'status':
        case 'status-part': {
          const { found: packages, report } = readDatabase(file, role.kind === 'status', context);
          found.push(...packages);
          if (report) facts.push(report);
          break;
        }
        case 'list':
          lists.set(role.packageName, file);
          break;
        case 'md5sums':
          sums.set(role.packageName, file);
          break;
        case 'copyright':
          copyrights.set(role.packageName, file);
          break;
        default:
          role satisfies never;
      }
    }

    const parsedCopyrights = new Map<string, string[]>();
    const copyright = (name: string): string[] | undefined => {
      const cached = parsedCopyrights.get(name);
      if (cached !== undefined) return cached;
      const file = copyrights.get(name);
      if (file === undefined) return undefined;
      const licenses = copyrightLicenses(file.content.toString('utf8'));
      parsedCopyrights.set(name, licenses);
      return licenses;
    };
    const bySource = new Map<string, DpkgPackage[]>();
    for (const { pkg } of found) {
      const siblings = bySource.get(pkg.source.name);
      if (siblings === undefined) bySource.set(pkg.source.name, [pkg]);
      else siblings.push(pkg);
    }
    for (const { path, pkg } of found) {
      const fact: PackageFact = {
        kind: 'package',
        layer: context.layer,
        path,
        origin: 'installed',
        pkg: {
          ecosystem: 'deb',
          name: pkg.name,
          version: pkg.version,
          purl: purlOf({
            type: 'deb',
            namespace: 'debian',
            name: pkg.name,
            version: pkg.version,
            qualifiers: pkg.arch === undefined ? undefined : { arch: pkg.arch },
          }),
          licenses: licensesOf(pkg, bySource, copyright),
          source: pkg.source,
          ...(pkg.arch === undefined ? {} : { arch: pkg.arch }),
        },
      };
      facts.push(fact);
    }

    const owned = (file: AnalyzedFile, packageName: string, files: string[]): OwnedFilesFact => ({
      kind: 'owned-files',
      layer: context.layer,
      path: file.path,
      ecosystem: 'deb',
      packageName,
      files,
    });
    for (const [packageName, file] of lists) {
      facts.push(owned(file, packageName, listFiles(file.content.toString('utf8'))));
    }
    for (const [packageName, file] of sums) {
      if (!lists.has(packageName))
        facts.push(owned(file, packageName, md5sumsFiles(file.content.toString('utf8'))));
    }
    // Every copyright file also stands on its own, so the inventory can give licences to packages
    // whose status entry a later layer rewrote without touching their copyright file.
    for (const [packageName, file] of copyrights) {
      const licenses = copyright(packageName) ?? [];
      if (licenses.length === 0) continue;
      facts.push({
        kind: 'license',
        layer: context.layer,
        path: file.path,
        ecosystem: 'deb',
        packageName,
        licenses,
      });
    }
    return facts;
  },
};
