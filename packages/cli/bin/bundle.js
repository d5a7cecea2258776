// The CLI's bundle: the TypeScript sources of the CLI, the engine and the server compiled by
// scripts/build-cli.mjs into one folder of plain JavaScript (third-party packages stay in
// node_modules), so a start does not resolve and compile some 560 source files (0.15 s of every
// scan). The launcher runs it only while it is current, and the sources otherwise.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const bundleDir = join(import.meta.dirname, '..', 'dist');
export const bundleEntry = 'drydock.js';
export const manifestName = 'bundle-manifest.json';

/**
 * Whether the bundle in `dir` was built from the sources as they are now: its manifest names every
 * source file that went into it (relative to `dir`), and none is missing or changed since the build
 * began. A checkout, an edit or a deleted file makes it stale until the next build.
 * @param {string} [dir]
 * @returns {boolean}
 */
export function isBundleCurrent(dir = bundleDir) {
  const manifest = readManifest(dir);
  if (manifest === undefined) return false;
  for (const input of manifest.inputs) {
    const stats = statSync(join(dir, input), { throwIfNoEntry: false });
    if (stats === undefined || stats.mtimeMs > manifest.builtAt) return false;
  }
  return true;
}

/**
 * The manifest in `dir`; undefined when it is missing or not of its shape.
 * @param {string} dir
 * @returns {{ builtAt: number, inputs: string[] } | undefined}
 */
function readManifest(dir) {
  /** @type {unknown} */
  let parsed;
  try {
    parsed = JSON.parse(readFileSync(join(dir, manifestName), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { builtAt, inputs } = /** @type {{ builtAt?: unknown, inputs?: unknown }} */ (parsed);
  if (typeof builtAt !== 'number' || !Array.isArray(inputs)) return undefined;
  if (!inputs.every((input) => typeof input === 'string')) return undefined;
  return { builtAt, inputs };
}
