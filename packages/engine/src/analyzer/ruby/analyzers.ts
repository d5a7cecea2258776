import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact } from '../fact.ts';
import { uniquePackages } from '../go-mod/unique-packages.ts';
import { gemPackage } from './gem-package.ts';
import { parseGemfileLock } from './parse-gemfile-lock.ts';
import { parseGemspec } from './parse-gemspec.ts';

/**
 * Installed gems: the specifications RubyGems writes on install, under any
 * `.../specifications/` directory (`usr/local/bundle/specifications/`,
 * `var/lib/gems/3.1.0/specifications/default/`, `usr/share/rubygems-integration/all/specifications/`).
 */
export const gemspecAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id: 'ruby-gemspec',
  version: 1,
  wants: {
    match: (path) =>
      path.endsWith('.gemspec') && (path.startsWith('specifications/') || path.includes('/specifications/')),
    matchGuard: { suffixes: ['.gemspec'] },
    maxBytes: 1024 * 1024,
  },
  analyze(file, context): readonly Fact[] {
    const spec = parseGemspec(file.content.toString('utf8'));
    const pkg = spec === undefined ? undefined : gemPackage(spec.name, spec.version, spec);
    if (pkg === undefined)
      return [
        {
          kind: 'diagnostic',
          layer: context.layer,
          path: file.path,
          source: 'ruby-gemspec',
          code: 'parse_error',
          message: 'no gem name and version in this specification',
        },
      ];
    return [{ kind: 'package', layer: context.layer, path: file.path, origin: 'installed', pkg }];
  },
};

/**
 * Bundler lock files: `Gemfile.lock`, `gems.locked`. A lock file lists a platform gem once per
 * platform it supports, not the one installed, so lock-file packages carry no platform.
 */
export const gemfileLockAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id: 'ruby-gemfile-lock',
  version: 1,
  wants: { basenames: ['Gemfile.lock', 'gems.locked'], maxBytes: 16 * 1024 * 1024 },
  analyze(file, context): readonly Fact[] {
    const packages = uniquePackages(
      parseGemfileLock(file.content.toString('utf8')).map((gem) => gemPackage(gem.name, gem.version)),
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
