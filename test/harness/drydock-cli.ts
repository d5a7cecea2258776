import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { nodeFlags } from '../../packages/cli/bin/node-flags.js';
import { testCacheDir } from './isolated-cache.ts';

/** The launcher users run: the CLI's bundle when it is current (setup builds it), else the sources. */
const cliEntry = join(import.meta.dirname, '..', '..', 'packages', 'cli', 'bin', 'drydock.js');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `drydock` command as a child process, as a user or CI would. */
export function runDrydock(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [...nodeFlags, cliEntry, ...args],
      {
        env: { ...process.env, NO_COLOR: '1', DRYDOCK_CACHE_DIR: testCacheDir(), ...options.env },
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
        maxBuffer: 1 << 26,
        timeout: options.timeoutMs ?? 120_000,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}
