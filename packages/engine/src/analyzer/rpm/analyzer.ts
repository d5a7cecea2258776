import type { EachFileAnalyzer } from '../contract.ts';
import type { DiagnosticFact, Fact } from '../fact.ts';
import { listRpmPackages } from './list-packages.ts';
import { toPackageRecord } from './package-record.ts';

const databaseDirectories = ['var/lib/rpm', 'usr/lib/sysimage/rpm'];
const databaseFiles = ['rpmdb.sqlite', 'Packages', 'Packages.db'];
/** Diagnostics reported one by one per database; the rest are counted in one more. */
const maxDiagnostics = 10;

/**
 * Installed rpm packages, from the package database in any of its formats: SQLite
 * (`rpmdb.sqlite`), Berkeley DB (`Packages`) or ndb (`Packages.db`), under `var/lib/rpm` or
 * `usr/lib/sysimage/rpm`. The `gpg-pubkey` entries rpm keeps for imported signing keys are not
 * packages and are skipped.
 */
export const rpmAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id: 'rpm',
  version: 1,
  wants: {
    paths: databaseDirectories.flatMap((directory) => databaseFiles.map((file) => `${directory}/${file}`)),
    maxBytes: 512 * 1024 * 1024,
  },
  async analyze(file, context): Promise<readonly Fact[]> {
    const { layer } = context;
    const diagnostic = (message: string): DiagnosticFact => ({
      kind: 'diagnostic',
      layer,
      path: file.path,
      source: 'rpm',
      code: 'parse_error',
      message,
    });
    const list = await listRpmPackages(file.content);
    if (!list.ok) return [diagnostic(list.reason)];
    const facts: Fact[] = list.packages
      .filter((pkg) => pkg.name !== 'gpg-pubkey')
      .map((pkg) => ({
        kind: 'package',
        layer,
        path: file.path,
        origin: 'installed',
        pkg: toPackageRecord(pkg),
      }));
    facts.push(...list.problems.slice(0, maxDiagnostics).map(diagnostic));
    if (list.problems.length > maxDiagnostics) {
      facts.push(diagnostic(`${list.problems.length - maxDiagnostics} more problems in this database`));
    }
    return facts;
  },
};
