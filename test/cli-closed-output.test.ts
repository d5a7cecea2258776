/**
 * `drydock image ... | head`: the reader closes the pipe early, and the command stops quietly
 * with the status of a program stopped by SIGPIPE instead of an unhandled EPIPE stack trace.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { nodeFlags } from '../packages/cli/bin/node-flags.js';
import { closedOutputExitCode } from '../packages/cli/src/closed-output.ts';
import { testCacheDir } from './harness/isolated-cache.ts';

const cliEntry = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'drydock.js');

describe('drydock with its output closed early', () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'drydock-closed-output-'));
    // Enough files that the JSON report is far larger than a pipe's buffer (64 KiB).
    const root = join(work, 'rootfs');
    await mkdir(join(root, 'etc'), { recursive: true });
    await writeFile(join(root, 'etc', 'os-release'), 'ID=debian\nVERSION_ID=12\n');
    const modules = join(root, 'app', 'node_modules');
    for (let i = 0; i < 400; i++) {
      const dir = join(modules, `package-${i}`);
      await mkdir(dir, { recursive: true });
      await writeFile(
        join(dir, 'package.json'),
        JSON.stringify({ name: `package-${i}`, version: `1.${i}.0`, license: 'MIT' }),
      );
    }
  });
  after(() => rm(work, { recursive: true, force: true }));

  it('stops quietly with the SIGPIPE status when the reader goes away', async () => {
    const child = spawn(
      process.execPath,
      [
        ...nodeFlags,
        cliEntry,
        'image',
        '--no-progress',
        '--format',
        'json',
        '--scanners',
        'inventory',
        `dir:${join(work, 'rootfs')}`,
      ],
      {
        env: { ...process.env, NO_COLOR: '1', DRYDOCK_CACHE_DIR: testCacheDir() },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Read the first bytes, then close the pipe, as `head -c 100` does.
    const first = await new Promise<string>((resolve) =>
      child.stdout.once('data', (chunk: Buffer) => {
        resolve(chunk.toString().slice(0, 100));
        child.stdout.destroy();
      }),
    );
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.match(first, /^\{/);
    assert.equal(code, closedOutputExitCode);
    assert.doesNotMatch(stderr, /EPIPE|Unhandled|at /);
  });
});
