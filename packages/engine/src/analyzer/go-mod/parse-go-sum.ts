import { compareGoVersions } from './go-version.ts';

export interface GoSumModule {
  readonly path: string;
  readonly version: string;
}

export interface GoSumResult {
  readonly modules: readonly GoSumModule[];
  /** Lines that are neither blank nor `module version hash`. */
  readonly malformedLines: number;
}

/**
 * Reads a go.sum file (https://go.dev/ref/mod#go-sum-files): `module version hash` lines. A
 * `version/go.mod` line only hashes a module's go.mod, fetched to resolve the module graph, and
 * says nothing of whether its code was built, so those lines are skipped. Where several versions
 * of a module have content hashes, the highest is kept: minimal version selection builds with the
 * highest version required. Modules in file order.
 */
export function parseGoSum(text: string): GoSumResult {
  const best = new Map<string, string>();
  let malformedLines = 0;
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length === 1 && fields[0] === '') continue;
    const [path, version, hash] = fields;
    if (fields.length !== 3 || path === undefined || version === undefined || hash === undefined) {
      malformedLines++;
      continue;
    }
    if (version.endsWith('/go.mod')) continue;
    const current = best.get(path);
    if (current === undefined || compareGoVersions(version, current) > 0) best.set(path, version);
  }
  return { modules: [...best].map(([path, version]) => ({ path, version })), malformedLines };
}
