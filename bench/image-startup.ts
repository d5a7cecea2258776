/**
 * CLI start-up: the median wall time of fresh `drydock --version` processes, beside the floor of a
 * fresh `node -e 0` measured the same way in the same run.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { nodeFlags } from '../packages/cli/bin/node-flags.js';

const cli = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'drydock.js');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function medianSeconds(args: readonly string[], count: number): number {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const child = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    times.push((performance.now() - started) / 1000);
    if (child.status !== 0)
      throw new Error(`${args.join(' ')} exited with ${child.status}: ${String(child.stderr)}`);
  }
  return median(times);
}

/** Median seconds of `count` fresh processes each: `drydock --version` and `node -e 0`; the version printed. */
export function cliStartup(count = 10): { cli: number; node: number; version: string } {
  const version = String(spawnSync(process.execPath, [...nodeFlags, cli, '--version']).stdout).trim();
  return {
    cli: medianSeconds([...nodeFlags, cli, '--version'], count),
    node: medianSeconds(['-e', '0'], count),
    version,
  };
}
