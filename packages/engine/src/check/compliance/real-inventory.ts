/**
 * Test support: the inventory of a real package database or lock file from
 * ../shared/testvectors (see its READMEs), read by the project's own analyzer and coalesced as a
 * one-layer image would be.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AnalyzedFile, Analyzer } from '../../analyzer/contract.ts';
import type { Fact, OwnedFilesFact, PackageFact } from '../../analyzer/fact.ts';
import type { DetectedOs } from '../../inventory/coalesce-os.ts';
import { coalescePackages, type InventoryPackage } from '../../inventory/coalesce-packages.ts';

export const testVectors = resolve(import.meta.dirname, '../../../../../../shared/testvectors');
export const testLayer = {
  index: 0,
  digest: `sha256:${'0'.repeat(64)}`,
  diffId: undefined,
  createdBy: undefined,
};

/** One file of the image: where it sits and the file its content is read from. */
export interface ImageFile {
  readonly imagePath: string;
  readonly source: string;
}

async function factsOf(analyzer: Analyzer, files: readonly AnalyzedFile[]): Promise<readonly Fact[]> {
  const context = { layer: testLayer, signal: new AbortController().signal };
  if (analyzer.kind === 'group') return analyzer.analyzeGroup(files, context);
  const facts: Fact[] = [];
  for (const file of files) facts.push(...(await analyzer.analyze(file, context)));
  return facts;
}

/** The coalesced packages, and the messages of any diagnostics the analyzer gave. */
export async function inventoryOf(
  analyzer: Analyzer,
  files: readonly ImageFile[],
  os?: DetectedOs,
): Promise<{ packages: InventoryPackage[]; diagnostics: string[] }> {
  const analyzed = files.map(({ imagePath, source }): AnalyzedFile => {
    const content = readFileSync(source);
    return { path: imagePath, size: content.length, mode: 0o100644, content };
  });
  const facts = await factsOf(analyzer, analyzed);
  const packages = coalescePackages(
    facts.filter((fact): fact is PackageFact => fact.kind === 'package'),
    facts.filter((fact): fact is OwnedFilesFact => fact.kind === 'owned-files'),
    { layerOf: () => testLayer.index },
    os,
  );
  const diagnostics = facts.flatMap((fact) => (fact.kind === 'diagnostic' ? [fact.message] : []));
  return { packages, diagnostics };
}
