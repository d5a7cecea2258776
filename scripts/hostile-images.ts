/**
 * Generates the hostile images corpus (issue "[11 of 11]", reliability): one OCI layout or
 * archive per case under the given directory, and `manifest.json` listing each case with its
 * attack and the outcome Drydock must give (a typed failure code, or the facts of a correct,
 * clamped result). Big cases are streamed or sparse, so the corpus stays small on disk.
 *
 *   node --import tsx scripts/hostile-images.ts DIR
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CorpusCase, CorpusContext, CorpusManifest } from './hostile-corpus/corpus-case.ts';
import { documentCases } from './hostile-corpus/document-cases.ts';
import { archiveCases } from './hostile-corpus/archive-cases.ts';
import { secretCases } from './hostile-corpus/secret-cases.ts';
import { packageCases } from './hostile-corpus/package-cases.ts';
import { layerWalkCases } from './hostile-corpus/layer-walk-cases.ts';
import { tarFormatCases } from './hostile-corpus/tar-format-cases.ts';

export type {
  CorpusCase,
  CorpusManifest,
  ExpectedFacts,
  ExpectedOutcome,
} from './hostile-corpus/corpus-case.ts';

export const manifestFileName = 'manifest.json';

/** Writes every case into `directory` (created when missing) and returns the manifest it wrote. */
export async function generateHostileCorpus(directory: string): Promise<CorpusManifest> {
  await mkdir(directory, { recursive: true });
  const context: CorpusContext = {
    directory,
    marker: `drydock-hostile-${randomBytes(6).toString('hex')}`,
  };
  const groups = [layerWalkCases, tarFormatCases, documentCases, packageCases, archiveCases, secretCases];
  const cases: CorpusCase[] = [];
  for (const group of groups) cases.push(...(await group(context)));
  const ids = new Set(cases.map((entry) => entry.id));
  if (ids.size !== cases.length) throw new Error('two corpus cases share an id');
  const manifest: CorpusManifest = { generator: 'scripts/hostile-images.ts', marker: context.marker, cases };
  await writeFile(join(directory, manifestFileName), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (import.meta.main) {
  const target = process.argv[2];
  if (target === undefined) {
    process.stderr.write('usage: node --import tsx scripts/hostile-images.ts DIR\n');
    process.exit(2);
  }
  const manifest = await generateHostileCorpus(resolve(target));
  process.stdout.write(`${manifest.cases.length} cases written to ${resolve(target)}\n`);
}
