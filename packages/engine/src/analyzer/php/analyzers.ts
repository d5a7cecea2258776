import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact } from '../fact.ts';
import { parseComposerInstalled, parseComposerLock, type ComposerResult } from './parse-composer.ts';

function facts(
  result: ComposerResult,
  source: string,
  origin: 'installed' | 'lockfile',
  path: string,
  layer: Fact['layer'],
): readonly Fact[] {
  if (!result.ok)
    return [{ kind: 'diagnostic', layer, path, source, code: 'parse_error', message: result.error }];
  return result.packages.map((pkg) => ({ kind: 'package', layer, path, origin, pkg }));
}

/** Composer lock files, `composer.lock`. */
export const composerLockAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id: 'composer-lock',
  version: 1,
  wants: { basenames: ['composer.lock'], maxBytes: 32 * 1024 * 1024 },
  analyze(file, context): readonly Fact[] {
    return facts(
      parseComposerLock(file.content.toString('utf8')),
      'composer-lock',
      'lockfile',
      file.path,
      context.layer,
    );
  },
};

/** What Composer installed into a vendor directory: `vendor/composer/installed.json`. */
export const composerInstalledAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id: 'composer-installed',
  version: 1,
  wants: { suffixes: ['vendor/composer/installed.json'], maxBytes: 32 * 1024 * 1024 },
  analyze(file, context): readonly Fact[] {
    return facts(
      parseComposerInstalled(file.content.toString('utf8')),
      'composer-installed',
      'installed',
      file.path,
      context.layer,
    );
  },
};
