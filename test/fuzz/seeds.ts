/**
 * Valid inputs to mutate: real files from the shared test vectors (../shared/testvectors, whose
 * README names each source) and small inputs built here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const testVectorsRoot = join(import.meta.dirname, '..', '..', '..', 'shared', 'testvectors');

/** Every regular file under `folder` (relative to the test vectors), smaller than `maxBytes`, in name order. */
export function vectorFiles(folder: string, maxBytes = 256 * 1024): Buffer[] {
  const root = join(testVectorsRoot, folder);
  const found: Buffer[] = [];
  const visit = (directory: string): void => {
    for (const name of readdirSync(directory).sort()) {
      const path = join(directory, name);
      const stats = statSync(path);
      if (stats.isDirectory()) visit(path);
      else if (stats.isFile() && stats.size > 0 && stats.size <= maxBytes) found.push(readFileSync(path));
    }
  };
  visit(root);
  if (found.length === 0) throw new Error(`no test vectors under ${root}`);
  return found;
}

/** `vectorFiles` as UTF-8 text. */
export function vectorTexts(folder: string, maxBytes?: number): string[] {
  return vectorFiles(folder, maxBytes).map((bytes) => bytes.toString('utf8'));
}

/** One test vector file. */
export function vectorFile(path: string): Buffer {
  return readFileSync(join(testVectorsRoot, path));
}
