/**
 * The secret rules' throughput on an image's text files (regular files up to the 10 MiB cap
 * without a NUL in their first 8 KiB, allowlisted paths included so the rules see everything), in
 * MB/s on one core, beside the floor of reading the same files from disk (page cache warm).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openImageSource, scanSource, type Analyzer } from '@drydock/engine';
import { compileSecretRules } from '../packages/engine/src/analyzer/secret/rule-set.ts';
import { scanFile } from '../packages/engine/src/analyzer/secret/scan-file.ts';
import { defaultMaxFileBytes } from '../packages/engine/src/analyzer/secret/scan-config.ts';

const MB = 1e6;

export interface SecretThroughput {
  readonly files: number;
  readonly bytes: number;
  /** Secret matches with the default allowlist off. */
  readonly hits: number;
  /** MB/s of reading the files, 16 reads in flight (best run). */
  readonly readRate: number;
  /** MB/s of scanFile over the contents on one core (best run). */
  readonly scanRate: number;
}

/** The image's text files, through the engine's own walk (last copy of each path wins). */
async function textFiles(reference: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const collector: Analyzer = {
    kind: 'each',
    id: 'bench-text-files',
    version: 1,
    wants: { match: (_path, size) => size > 0 && size <= defaultMaxFileBytes, maxBytes: defaultMaxFileBytes },
    analyze(file) {
      if (!file.content.subarray(0, 8192).includes(0)) files.set(file.path, Buffer.from(file.content));
      return [];
    },
  };
  const source = await openImageSource(reference, { insecure: true });
  try {
    await scanSource(source, { signal: AbortSignal.timeout(600_000), analyzers: [collector] });
  } finally {
    await source.close();
  }
  return files;
}

/** Reads every file under `root` listed in `paths`, 16 reads in flight; seconds. */
async function readAll(root: string, paths: readonly string[]): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let index = next++; index < paths.length; index = next++) {
        await readFile(join(root, paths[index] ?? ''));
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

/** Measures the secret rules on the text files of `reference` (a registry reference), best of `runs`. */
export async function secretThroughput(reference: string, runs: number): Promise<SecretThroughput> {
  const files = await textFiles(reference);
  const work = await mkdtemp(join(tmpdir(), 'drydock-bench-text-'));
  try {
    for (const [path, content] of files) {
      await mkdir(dirname(join(work, path)), { recursive: true });
      await writeFile(join(work, path), content);
    }
    const paths = [...files.keys()];
    const bytes = [...files.values()].reduce((sum, content) => sum + content.length, 0);
    const rules = compileSecretRules({ skipDefaultAllowlist: true });
    const readSeconds: number[] = [];
    const scanSeconds: number[] = [];
    let hits = 0;
    await readAll(work, paths); // warm the page cache
    for (let i = 0; i < runs; i++) {
      readSeconds.push(await readAll(work, paths));
      const started = performance.now();
      hits = 0;
      for (const [path, content] of files) hits += scanFile(rules, path, content).matches.length;
      scanSeconds.push((performance.now() - started) / 1000);
    }
    return {
      files: files.size,
      bytes,
      hits,
      readRate: bytes / MB / Math.min(...readSeconds),
      scanRate: bytes / MB / Math.min(...scanSeconds),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
