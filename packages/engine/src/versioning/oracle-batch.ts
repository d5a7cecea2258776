/**
 * Runs one reference implementation over a batch of version pairs in one process
 * (RECIPES.md section 4: one process per oracle, never one per pair). Test support only.
 * The oracle reads `a b` lines, from stdin or from the file `pairsFile` names, and prints one
 * result per line; the caller maps results to -1, 0, 1 or another marker (`ERR`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VersionPair } from './oracle-pairs.ts';

export interface OracleCommand {
  readonly command: string;
  /** Arguments; `{pairs}` in any of them is replaced by the path of a file holding the pairs. */
  readonly args: readonly string[];
}

/** The oracle's output lines, one per pair (blank lines dropped). */
export function runOracle(oracle: OracleCommand, pairs: readonly VersionPair[]): readonly string[] {
  for (const [a, b] of pairs)
    if (/\s/.test(a + b) || a === '' || b === '') throw new Error(`pair not expressible as "a b": ${a} ${b}`);
  const input = pairs.map(([a, b]) => `${a} ${b}\n`).join('');
  const folder = mkdtempSync(join(tmpdir(), 'drydock-oracle-'));
  try {
    const pairsFile = join(folder, 'pairs');
    writeFileSync(pairsFile, input);
    const readsFile = oracle.args.some((arg) => arg.includes('{pairs}'));
    const output = execFileSync(
      oracle.command,
      oracle.args.map((arg) => arg.replaceAll('{pairs}', pairsFile)),
      readsFile
        ? { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] }
        : { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const lines = output.split('\n').filter((line) => line.trim() !== '');
    if (lines.length !== pairs.length)
      throw new Error(`oracle ${oracle.command} gave ${lines.length} results for ${pairs.length} pairs`);
    return lines.map((line) => line.trim());
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Disagreements between `compare` and an oracle's -1/0/1 output, as messages. */
export function disagreements(
  compare: (a: string, b: string) => number,
  pairs: readonly VersionPair[],
  results: readonly string[],
): readonly string[] {
  const problems: string[] = [];
  pairs.forEach(([a, b], i) => {
    const ours = Math.sign(compare(a, b));
    const theirs = results[i];
    if (String(ours) !== theirs) problems.push(`${a} vs ${b}: Drydock ${ours}, oracle ${theirs}`);
  });
  return problems;
}
