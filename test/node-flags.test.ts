/**
 * Every way Drydock is started passes Node the same flags (packages/cli/bin/node-flags.js says
 * why): the launcher's `#!` line for `drydock` on the PATH, scripts/start.sh for the main job. The
 * container's entry point and `npm run drydock` are held to them in test/deploy; the test harness
 * and the benchmarks import the list.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { nodeFlags } from '../packages/cli/bin/node-flags.js';

const root = join(import.meta.dirname, '..');
const launcher = join(root, 'packages', 'cli', 'bin', 'drydock.js');

describe('the flags Drydock gives Node', () => {
  it('are on the launcher’s #! line, which runs here as the executable it is', async () => {
    const firstLine = (await readFile(launcher, 'utf8')).split('\n', 1)[0];
    assert.equal(firstLine, `#!/usr/bin/env -S node ${nodeFlags.join(' ')}`);
    // Run by the kernel through its #! line, as `drydock` from npm's bin folder is: `env -S` works
    // and Node accepts the flags (it refuses an unknown one before running anything).
    const { stdout } = await promisify(execFile)(launcher, ['--version'], {
      env: { ...process.env, PATH: `${join(process.execPath, '..')}:${process.env['PATH'] ?? ''}` },
    });
    assert.match(stdout, /^\d+\.\d+\.\d+/);
  });

  it('are the ones scripts/start.sh starts the service and the CLI with', async () => {
    const script = await readFile(join(root, 'scripts', 'start.sh'), 'utf8');
    assert.ok(script.includes(`drydock() { node ${nodeFlags.join(' ')} packages/cli/bin/drydock.js "$@"; }`));
    assert.doesNotMatch(script.replace(/^drydock\(\).*$/m, ''), /bin\/drydock\.js/, 'no other start');
  });
});
