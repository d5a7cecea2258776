import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact } from '../fact.ts';
import { uniquePackages as unique } from '../go-mod/unique-packages.ts';
import { parseGradleLockfile } from './gradle-lockfile.ts';
import { mavenPackage } from './maven-package.ts';
import { parseSbtLockfile } from './sbt-lockfile.ts';

/** Gradle dependency lock files: `gradle.lockfile`, and the per-configuration files of `gradle/dependency-locks/`. */
export const gradleLockfileAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id: 'gradle-lockfile',
  version: 1,
  wants: {
    suffixes: ['gradle.lockfile'],
    match: (path) => path.endsWith('.lockfile') && path.includes('gradle/dependency-locks/'),
    matchGuard: { suffixes: ['.lockfile'] },
    maxBytes: 16 * 1024 * 1024,
  },
  analyze(file, context): readonly Fact[] {
    const packages = unique(
      parseGradleLockfile(file.content.toString('utf8')).map((lock) =>
        mavenPackage(lock.coordinates, { dev: lock.dev }),
      ),
    );
    return packages.map((pkg) => ({
      kind: 'package',
      layer: context.layer,
      path: file.path,
      origin: 'lockfile',
      pkg,
    }));
  },
};

/** sbt-dependency-lock files, `build.sbt.lock`. */
export const sbtLockfileAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id: 'sbt-lockfile',
  version: 1,
  wants: { suffixes: ['.sbt.lock'], maxBytes: 16 * 1024 * 1024 },
  analyze(file, context): readonly Fact[] {
    const parsed = parseSbtLockfile(file.content.toString('utf8'));
    if (!parsed.ok)
      return [
        {
          kind: 'diagnostic',
          layer: context.layer,
          path: file.path,
          source: 'sbt-lockfile',
          code: 'parse_error',
          message: parsed.error,
        },
      ];
    const packages = unique(parsed.locks.map((lock) => mavenPackage(lock.coordinates, { dev: lock.dev })));
    return packages.map((pkg) => ({
      kind: 'package',
      layer: context.layer,
      path: file.path,
      origin: 'lockfile',
      pkg,
    }));
  },
};
