import type { AnalyzedFile, AnalyzerContext, LayerGroupAnalyzer } from '../contract.ts';
import type { Fact, PackageRecord } from '../fact.ts';
import { goModulePackage } from './go-package.ts';
import { goModIsComplete, goModPackages } from './go-mod-packages.ts';
import { parseGoMod } from './parse-go-mod.ts';
import { parseGoSum } from './parse-go-sum.ts';

const id = 'go-mod';

function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function packageFacts(context: AnalyzerContext, path: string, packages: readonly PackageRecord[]): Fact[] {
  return packages.map((pkg) => ({ kind: 'package', layer: context.layer, path, origin: 'lockfile', pkg }));
}

function parseError(context: AnalyzerContext, path: string, message: string): Fact {
  return { kind: 'diagnostic', layer: context.layer, path, source: id, code: 'parse_error', message };
}

/**
 * One module directory: go.mod's requirements, and go.sum's modules when go.mod cannot be trusted
 * to list them all (before go 1.17 indirect requirements were left out), when go.mod is broken, or
 * when the layer has no go.mod beside the go.sum. go.mod wins for every module it names.
 */
function analyzeDirectory(
  context: AnalyzerContext,
  goMod: AnalyzedFile | undefined,
  goSum: AnalyzedFile | undefined,
): Fact[] {
  const facts: Fact[] = [];
  let useSum = true;
  const named = new Set<string>();
  if (goMod !== undefined) {
    const parsed = parseGoMod(goMod.content.toString('utf8'));
    if (parsed.ok) {
      const { packages, rejected } = goModPackages(parsed.file);
      facts.push(...packageFacts(context, goMod.path, packages));
      if (rejected.length > 0)
        facts.push(
          parseError(
            context,
            goMod.path,
            `go.mod: invalid module versions skipped: ${rejected.slice(0, 5).join(', ')}`,
          ),
        );
      for (const require of parsed.file.requires) named.add(require.path);
      for (const replace of parsed.file.replaces) named.add(replace.newPath);
      useSum = !goModIsComplete(parsed.file);
    } else {
      facts.push(parseError(context, goMod.path, `go.mod: ${parsed.error}`));
    }
  }
  if (goSum !== undefined && useSum) {
    const parsed = parseGoSum(goSum.content.toString('utf8'));
    if (parsed.malformedLines > 0)
      facts.push(parseError(context, goSum.path, `go.sum: ${parsed.malformedLines} malformed lines skipped`));
    const packages = parsed.modules
      .filter((module) => !named.has(module.path))
      .flatMap((module) => goModulePackage(module.path, module.version) ?? []);
    facts.push(...packageFacts(context, goSum.path, packages));
  }
  return facts;
}

/**
 * Go module sources: go.mod requirements (with replacements) and go.sum, read together per
 * directory of one layer. See readme.md.
 */
export const goModAnalyzer: LayerGroupAnalyzer = {
  kind: 'group',
  id,
  version: 1,
  wants: { basenames: ['go.mod', 'go.sum'], maxBytes: 16 * 1024 * 1024 },
  analyzeGroup(files, context): readonly Fact[] {
    const directories = new Map<string, { goMod?: AnalyzedFile; goSum?: AnalyzedFile }>();
    for (const file of files) {
      const directory = directoryOf(file.path);
      const entry = directories.get(directory) ?? {};
      if (file.path.endsWith('go.sum')) entry.goSum = file;
      else entry.goMod = file;
      directories.set(directory, entry);
    }
    const facts: Fact[] = [];
    for (const { goMod, goSum } of directories.values())
      facts.push(...analyzeDirectory(context, goMod, goSum));
    return facts;
  },
};
