import { opendir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The floor for a file tree: read every regular file of it once (16 reads in flight), as any
 * tool that looks inside the files must. Symlinks are not followed.
 */
export async function readTreeFloor(
  root: string,
): Promise<{ seconds: number; files: number; bytes: number }> {
  const started = performance.now();
  const pending: string[] = [];
  async function collect(directory: string): Promise<void> {
    for await (const entry of await opendir(directory)) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) await collect(path);
      else if (entry.isFile()) pending.push(path);
    }
  }
  await collect(root);
  let bytes = 0;
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < pending.length; index = next++)
      bytes += (await readFile(pending[index] ?? '')).length;
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return { seconds: (performance.now() - started) / 1000, files: pending.length, bytes };
}
