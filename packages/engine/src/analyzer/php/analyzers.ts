import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact } from '../fact.ts';
import { parsedPackageFacts } from '../package-facts.ts';
import { parseComposerInstalled, parseComposerLock } from './parse-composer.ts';

/** Composer lock files, `composer.lock`. */
export const composerLockAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id: 'composer-lock',
  version: 1,
  wants: { basenames: ['composer.lock'], maxBytes: 32 * 1024 * 1024 },
  analyze(file, context): readonly Fact[] {
    return parsedPackageFacts(
      'composer-lock',
      'lockfile',
      file,
      context,
      parseComposerLock(file.content.toString('utf8')),
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
    return parsedPackageFacts(
      'composer-installed',
      'installed',
      file,
      context,
      parseComposerInstalled(file.content.toString('utf8')),
    );
  },
};
