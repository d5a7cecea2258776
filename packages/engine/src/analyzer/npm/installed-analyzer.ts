import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact } from '../fact.ts';
import { isInstalledPackageJson } from './installed-path.ts';
import { npmRecord, parseErrorFact } from './npm-facts.ts';
import { parsePackageJson } from './package-json.ts';

const id = 'npm-installed';

/**
 * Installed npm packages: the package.json of every folder directly inside a node_modules directory
 * (hoisted or nested, npm, yarn or pnpm layout). A manifest without a name or version is not a package.
 */
export const npmInstalledAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id,
  version: 1,
  wants: {
    match: (path) => isInstalledPackageJson(path),
    matchGuard: { suffixes: ['/package.json'] },
    maxBytes: 4 * 1024 * 1024,
  },
  analyze(file, context): readonly Fact[] {
    if (!isInstalledPackageJson(file.path)) return [];
    const parsed = parsePackageJson(file.content.toString('utf8'));
    if (!parsed.ok) return [parseErrorFact(id, file, context, parsed.error)];
    const { name, version, licenses } = parsed.manifest;
    if (name === undefined || version === undefined) return [];
    const pkg = npmRecord({ name, version, licenses, dev: undefined, commit: undefined });
    return [{ kind: 'package', layer: context.layer, path: file.path, origin: 'installed', pkg }];
  },
};
