import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact } from '../fact.ts';
import { purlOf } from '../purl.ts';
import { parseApkInstalled } from './installed-database.ts';

const analyzerId = 'apk';

/**
 * Alpine (and Wolfi, Chainguard) packages from apk's installed database. Since the usr merge of Wolfi
 * and apk-tools 3, the database may live under `usr/lib/apk/db/` with `lib` a symlink to `usr/lib`;
 * both places are read. See readme.md.
 */
export const apkAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id: analyzerId,
  version: 1,
  wants: {
    paths: ['lib/apk/db/installed', 'usr/lib/apk/db/installed'],
    maxBytes: 64 * 1024 * 1024,
  },
  analyze(file, context): readonly Fact[] {
    const database = parseApkInstalled(file.content.toString('utf8'));
    const facts: Fact[] = database.packages.map((pkg) => ({
      kind: 'package',
      layer: context.layer,
      path: file.path,
      origin: 'installed',
      pkg: {
        ecosystem: 'apk',
        name: pkg.name,
        version: pkg.version,
        purl: purlOf({
          type: 'apk',
          namespace: 'alpine',
          name: pkg.name,
          version: pkg.version,
          qualifiers: pkg.arch === undefined ? undefined : { arch: pkg.arch },
        }),
        licenses: pkg.license === undefined ? [] : [pkg.license],
        source: { name: pkg.origin ?? pkg.name, version: pkg.version },
        ...(pkg.arch === undefined ? {} : { arch: pkg.arch }),
        files: pkg.files,
      },
    }));
    const first = database.problems[0];
    if (first !== undefined) {
      facts.push({
        kind: 'diagnostic',
        layer: context.layer,
        path: file.path,
        source: analyzerId,
        code: 'parse_error',
        message: `${database.problemCount} problem(s) in the apk database, the first: ${first}`,
      });
    }
    return facts;
  },
};
